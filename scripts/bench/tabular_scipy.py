#!/usr/bin/env python3
"""Reference implementation of `trirl tabular` (TRIRL, exact occupancies) with numpy and scipy.sparse, for the ratio that
`trirl bench tabular` reports. The same mathematics and stopping rules as the library (docs/trirl-math.md, sections 2-6):
soft value iteration to a sup-norm change below 1e-12 (warm-started as the library does), the occupancy by a sparse
direct solve of (I - gamma P_pi^T) d = (1 - gamma) p0, the trust-region multiplier by doubling from 1 and the Illinois
variant of regula falsi to relative width 1e-12 (the library's search until 2026-12-05; the library now starts from the
previous multiplier and needs about a third of the solves for the same multiplier, so this reference is the fixed
yardstick of docs/performance.md, which also gives the ratio with the new search ported), the corrected reward, and
the dual, primal and gap of every iteration.

    python3 tabular_scipy.py MDP.json BETA EPS DELTA ITERATIONS [EXPERT_BETA]

Reads the MDP in the CLI's JSON schema (with a true reward), prints one line per iteration
(`iteration dual primal gap eta`) and a last line `seconds S` (the wall time of building the problem and the
iterations, not of starting Python or reading the file). Written for this project; no code taken from elsewhere.
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.special import logsumexp


def load(path):
    with open(path) as f:
        m = json.load(f)
    gamma = float(m["gamma"])
    p0 = np.asarray(m["initial"], dtype=float)
    rows, cols, vals = [], [], []
    S = len(m["transitions"])
    A = len(m["transitions"][0])
    for s, acts in enumerate(m["transitions"]):
        for a, entries in enumerate(acts):
            for nxt, p in entries:
                if p > 0:
                    rows.append(s * A + a)
                    cols.append(int(nxt))
                    vals.append(float(p))
    P = sp.csr_matrix((vals, (rows, cols)), shape=(S * A, S))
    r = np.asarray(m["reward"], dtype=float).reshape(S * A)
    return S, A, gamma, p0, P, r


class Solver:
    def __init__(self, S, A, gamma, p0, P):
        self.S, self.A, self.gamma, self.p0, self.P = S, A, gamma, p0, P
        self.PT = P.T.tocsr()
        self.eye = sp.identity(S, format="csc")
        # (s, a) -> s aggregation, to build P_pi = sum_a pi(a|s) P(.|s,a)
        self.agg = sp.csr_matrix((np.ones(S * A), (np.repeat(np.arange(S), A), np.arange(S * A))), shape=(S, S * A))

    def soft(self, reward, tau, v0=None):
        """Soft value iteration to max |V_new - V| / tau < 1e-12; returns (V, log pi) with log pi from the final Q."""
        S, A, g = self.S, self.A, self.gamma
        v = np.zeros(S) if v0 is None else v0.copy()
        while True:
            q = reward + g * (self.P @ v)
            v_new = tau * logsumexp(q.reshape(S, A) / tau, axis=1)
            diff = np.max(np.abs(v_new - v))
            v = v_new
            if diff / tau < 1e-12 or diff <= 1e-15 * np.max(np.abs(v)):
                break
        q = reward + g * (self.P @ v)
        v = tau * logsumexp(q.reshape(S, A) / tau, axis=1)
        logpi = (q.reshape(S, A) - v[:, None]) / tau
        return v, logpi.reshape(S * A)

    def occupancy(self, logpi):
        pi = np.exp(logpi)
        Ppi = self.agg @ sp.diags(pi) @ self.P                    # S x S
        M = (self.eye - self.gamma * Ppi.T).tocsc()
        d = spla.spsolve(M, (1 - self.gamma) * self.p0)
        return (d[:, None] * pi.reshape(self.S, self.A)).reshape(self.S * self.A)


def kl(p, q):
    m = p > 0
    return float(np.sum(p[m] * np.log(p[m] / q[m])))


def main():
    path, beta, eps, delta, iterations = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    expert_beta = float(sys.argv[6]) if len(sys.argv) > 6 else beta
    S, A, gamma, p0, P, r_true = load(path)
    start = time.perf_counter()
    sol = Solver(S, A, gamma, p0, P)
    _, logpi_e = sol.soft(expert_beta * r_true, 1.0)
    rho_e = sol.occupancy(logpi_e)

    def dual(v, r):
        m = rho_e > 0
        x = np.log(rho_e[m]) - r[m] / beta
        return (1 - gamma) * p0 @ v + beta * logsumexp(x)

    def primal(logpi, rho):
        m = rho > 0
        return float(-np.sum(rho[m] * logpi[m])) - beta * kl(rho, rho_e)

    r = np.zeros(S * A)
    v, _ = sol.soft(r, 1.0)
    logpi = np.full(S * A, -np.log(A))
    rho = sol.occupancy(logpi)
    for it in range(1, iterations + 1):
        both = (rho_e > 0) | (rho > 0)
        D = np.zeros(S * A)
        D[both] = np.log(rho_e[both]) - np.log(rho[both])
        proposed = (1 - eps) * r + eps * beta * D
        warm = [v]

        def evaluate(eta):
            reward = proposed if eta == 0 else proposed + eta * logpi
            v_tr, lp = sol.soft(reward, 1 + eta, warm[0])
            warm[0] = v_tr
            rho_tr = sol.occupancy(lp)
            return v_tr, lp, rho_tr, float(np.sum(rho_tr * (lp - logpi)))

        best = evaluate(0.0)
        eta = 0.0
        if best[3] > delta:
            lo, hi, kl_lo = 0.0, 1.0, best[3]
            best = evaluate(hi)
            while best[3] > delta:
                lo, kl_lo, hi = hi, best[3], 2 * hi
                best = evaluate(hi)
            g_lo, g_hi, last = kl_lo - delta, best[3] - delta, 0
            width, previous, before = hi - lo, np.inf, np.inf
            while width > 1e-12 * hi:
                mid = 0.5 * (lo + hi) if width > 0.5 * before else lo + g_lo / (g_lo - g_hi) * width
                if not (lo < mid < hi):
                    mid = 0.5 * (lo + hi)
                if mid <= lo or mid >= hi:
                    break
                cand = evaluate(mid)
                g = cand[3] - delta
                if g <= 0:
                    hi, best, g_hi = mid, cand, g
                    if last == 1:
                        g_lo *= 0.5
                    last = 1
                else:
                    lo, g_lo = mid, g
                    if last == -1:
                        g_hi *= 0.5
                    last = -1
                before, previous, width = previous, width, hi - lo
            eta = hi
        v_tr, logpi_new, rho_new, _ = best
        eps_tr = eps / (1 + eta)
        r_new = (1 - eps_tr) * r + eps_tr * beta * D
        v, _ = sol.soft(r_new, 1.0, (v_tr + eta * v) / (1 + eta))
        r, logpi, rho = r_new, logpi_new, rho_new
        d, p = dual(v, r), primal(logpi, rho)
        print(f"{it} {d!r} {p!r} {d - p!r} {eta!r}")
    print(f"seconds {time.perf_counter() - start!r}")


if __name__ == "__main__":
    main()
