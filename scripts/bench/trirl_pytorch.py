#!/usr/bin/env python3
"""A PyTorch re-creation of one deep TRIRL iteration, timed phase by phase, for the side-by-side ratio that
`trirl bench trirl --reference pytorch` reports (issue 22). Written for this project; no code taken from elsewhere.

    python3 trirl_pytorch.py SPEC.json

SPEC.json is written by the C# bench from its own settings (src/Trirl.Cli/Benchmarks/PyTorchReferenceSpec.cs), so the
C# presets stay the one source of truth: the pendulum's constants, the copies and steps, the networks, the
discriminator's and PPO's counts and coefficients, the thread count and the iterations. The loop does the same work
as the library's (src/Trirl.Deep; docs/trirl-math.md, sections 6 and 9), phase by phase:

  acting         the policy's mean and the critic's value on the N copies' observations, a Gaussian action, T steps
                 of the vectorised Gymnasium Pendulum-v1 (float64, auto-reset with the final observation kept, time
                 limit as a truncation), then the critic on the N last observations and the truncated copies' finals;
  discriminator  the rollout paired with as many expert rows (a permutation of the expert set, repeated), features
                 (s, clip(a)) normalised by the expert's mean and std, the termination flag; epochs of minibatches:
                 logistic loss on m expert and m policy rows, the gradient penalty on m interpolates (first backward
                 with create_graph, then the double backward), Adam, gradient clipping;
  reward         the new discriminator copied into a ring of K, the K networks evaluated on the rollout (and its
                 absorbing rows), the corrected weighted sum in float64, the TD rewards, then the correction (eta
                 recorded, the weights);
  policy         GAE in float64, epochs of minibatches of PPO (clipped surrogate, entropy, value loss, the closed-form
                 KL to the rollout policy weighted by eta; advantages normalised per minibatch), one Adam and one
                 gradient clip per network, then the measured KL on the whole rollout.

The buffer is filled to K - 1 copies of the initial discriminator (eta = fill_eta) before one untimed warm-up
iteration, so every timed iteration evaluates K networks, as the C# bench does. The expert data are random rows
(the arithmetic, not the learning, is compared). Then each phase's distinct matrix products (listed in the spec) are
timed alone on torch's BLAS, as the C# bench times them on libtorch's, so the two GEMM floors can be told apart from
the two loops. Prints progress on stderr and one JSON object on stdout.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

PHASES = ["acting_seconds", "discriminator_seconds", "reward_seconds", "policy_seconds"]
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
HALF_LOG_2PIE = 0.5 * math.log(2 * math.pi * math.e)


def say(text):
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------- env

def eta_floor(schedule):
    """The schedule's floor under eta; the spec leaves out a floor of 0, as the C# settings' JSON does."""
    return schedule.get("minimum", 0.0)


class VecPendulum:
    """Gymnasium's Pendulum-v1 on N copies at once, float64 state (theta, thetadot), float32 observations."""

    def __init__(self, p, copies, rng):
        self.g, self.m, self.l, self.dt = p["gravity"], p["mass"], p["length"], p["dt"]
        self.max_speed, self.max_torque, self.max_steps = p["max_speed"], p["max_torque"], p["max_steps"]
        self.rng = rng
        self.th = np.empty(copies)
        self.thdot = np.empty(copies)
        self.steps = np.zeros(copies, dtype=np.int64)
        self.reset(np.ones(copies, dtype=bool))

    def reset(self, mask):
        k = int(mask.sum())
        self.th[mask] = self.rng.uniform(-math.pi, math.pi, k)
        self.thdot[mask] = self.rng.uniform(-1.0, 1.0, k)
        self.steps[mask] = 0

    def observe(self):
        return np.stack([np.cos(self.th), np.sin(self.th), self.thdot], axis=1).astype(np.float32)

    def step(self, actions):
        """(next observation, reward, terminated, truncated); finished copies are not reset here."""
        u = np.clip(actions[:, 0].astype(np.float64), -self.max_torque, self.max_torque)
        n = np.mod(self.th + math.pi, 2 * math.pi) - math.pi
        cost = n * n + 0.1 * self.thdot * self.thdot + 0.001 * u * u
        w = self.thdot + (3 * self.g / (2 * self.l) * np.sin(self.th) + 3.0 / (self.m * self.l * self.l) * u) * self.dt
        w = np.clip(w, -self.max_speed, self.max_speed)
        self.th = self.th + w * self.dt
        self.thdot = w
        self.steps += 1
        terminated = np.zeros(len(u), dtype=bool)
        truncated = self.steps >= self.max_steps
        return self.observe(), -cost, terminated, truncated


# ----------------------------------------------------------------------------------------------------------- networks

def activation(name):
    return {"elu": nn.ELU, "tanh": nn.Tanh, "relu": nn.ReLU}[name]()


def mlp(inputs, spec, outputs, output_gain):
    """Linear (then LayerNorm on the first when asked) then the activation per hidden layer; a linear output layer.
    Orthogonal weights (gain sqrt 2 hidden, output_gain out), zero biases."""
    layers, previous = [], inputs
    for i, width in enumerate(spec["hidden"]):
        linear = nn.Linear(previous, width)
        nn.init.orthogonal_(linear.weight, math.sqrt(2.0))
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i == 0 and spec["layer_norm"]:
            layers.append(nn.LayerNorm(width))
        layers.append(activation(spec["activation"]))
        previous = width
    out = nn.Linear(previous, outputs)
    nn.init.orthogonal_(out.weight, output_gain)
    nn.init.zeros_(out.bias)
    layers.append(out)
    return nn.Sequential(*layers)


class ObsNorm:
    """Running observation statistics (Chan et al.'s merge, float64), clip((o - mu) / sqrt(var + 1e-8), -10, 10)."""

    def __init__(self, size):
        self.mean = torch.zeros(size, dtype=torch.float64)
        self.var = torch.ones(size, dtype=torch.float64)
        self.count = 1e-4

    def __call__(self, obs):
        std = (self.var + 1e-8).sqrt().to(obs.dtype)
        return ((obs - self.mean.to(obs.dtype)) / std).clamp(-10.0, 10.0)

    def update(self, batch):
        b = batch.to(torch.float64)
        nb, na = b.shape[0], self.count
        n = na + nb
        bm = b.mean(0)
        ss = ((b - bm) ** 2).sum(0)
        delta = bm - self.mean
        m2 = self.var * na + ss + delta * delta * na * nb / n
        self.mean = self.mean + delta * nb / n
        self.var = m2 / n
        self.count = n


def log_prob(x, mean, log_std):
    z = (x - mean) * (-log_std).exp()
    return (-0.5 * z * z - log_std - HALF_LOG_2PI).sum(-1)


def kl(mean_p, log_std_p, mean_q, log_std_q):
    var_ratio = (2 * (log_std_p - log_std_q)).exp()
    maha = (mean_p - mean_q) ** 2 * (-2 * log_std_q).exp()
    return ((log_std_q - log_std_p) + 0.5 * (var_ratio + maha) - 0.5).sum(-1)


# -------------------------------------------------------------------------------------------------- the reward buffer

class Buffer:
    """The last K discriminators, stacked per layer ([K, in, out], a ring), with their etas."""

    def __init__(self, capacity, inputs, hidden, act):
        widths = [inputs] + list(hidden)
        self.w = [torch.zeros(capacity, a, b) for a, b in zip(widths, widths[1:])]
        self.b = [torch.zeros(capacity, b) for b in hidden]
        self.wout = torch.zeros(capacity, widths[-1])
        self.bout = torch.zeros(capacity)
        self.etas = [0.0] * capacity
        self.capacity, self.count, self.start = capacity, 0, 0
        self.act = {"tanh": torch.tanh_, "relu": torch.relu_, "elu": lambda h: nn.functional.elu(h, inplace=True)}[act]

    def slot(self, age):
        return (self.start + age) % self.capacity

    def push(self, net):
        if self.count < self.capacity:
            s = self.slot(self.count)
            self.count += 1
        else:
            s = self.start
            self.start = (self.start + 1) % self.capacity
        linears = [m for m in net if isinstance(m, nn.Linear)]
        with torch.no_grad():
            for l in range(len(self.w)):
                self.w[l][s].copy_(linears[l].weight.t())
                self.b[l][s].copy_(linears[l].bias)
            self.wout[s].copy_(linears[-1].weight[0])
            self.bout[s] = linears[-1].bias[0]
        self.etas[s] = 0.0

    def record_eta(self, eta):
        self.etas[self.slot(self.count - 1)] = eta

    def weights(self, eps, corrects):
        """w_k = eps_tr,k prod_{j>k} (1 - eps_tr,j), oldest first, eps_tr = eps / (1 + eta) (eta = 0 uncorrected)."""
        w, tail = [0.0] * self.count, 1.0
        for k in range(self.count - 1, -1, -1):
            e = eps / (1.0 + (self.etas[self.slot(k)] if corrects else 0.0))
            w[k] = e * tail
            tail *= 1 - e
        return w

    def evaluate(self, x, weights):
        """sum_k w_k D_k(x) in float64, network after network."""
        acc = torch.zeros(x.shape[0], dtype=torch.float64)
        with torch.no_grad():
            for age, wk in enumerate(weights):
                if wk == 0:
                    continue
                k = self.slot(age)
                h = x
                for l in range(len(self.w)):
                    h = self.act(torch.addmm(self.b[l][k], h, self.w[l][k]))
                acc.add_(torch.addmv(self.bout[k], h, self.wout[k]).double(), alpha=wk)
        return acc


# -------------------------------------------------------------------------------------------------------- the learner

class Loop:
    """The learner's state (env copies, policy, critic, discriminator, their optimisers, the buffer, eta) and the
    four phases of one iteration, each a method."""

    def __init__(self, spec):
        self.spec = spec
        ppo, imi = spec["ppo"], spec["imitation"]
        self.ppo, self.imi = ppo, imi
        self.n, self.t = ppo["copies"], ppo["rollout_steps"]
        self.b = self.n * self.t
        self.obs_dim, self.act_dim = spec["observation_size"], spec["action_size"]
        self.low = torch.tensor(spec["action_low"], dtype=torch.float32)
        self.high = torch.tensor(spec["action_high"], dtype=torch.float32)
        self.rng = np.random.default_rng(spec["seed"])
        torch.manual_seed(spec["seed"])
        self.env = VecPendulum(spec["env"], self.n, self.rng)
        self.obs = self.env.observe()
        self.env_steps = 0

        self.policy = mlp(self.obs_dim, ppo["policy"], self.act_dim, ppo["policy"]["output_gain"])
        self.log_std = nn.Parameter(torch.full((self.act_dim,), math.log(ppo["initial_std"])))
        self.critic = mlp(self.obs_dim, ppo["critic"], 1, ppo["critic"]["output_gain"])
        self.norm = ObsNorm(self.obs_dim) if ppo["normalize_observations"] else None
        self.policy_opt = torch.optim.Adam(list(self.policy.parameters()) + [self.log_std], lr=ppo["learning_rate"])
        self.critic_opt = torch.optim.Adam(self.critic.parameters(), lr=ppo["learning_rate"])

        # Expert rows: random (s, a) with the task's observation shape (cos, sin, thetadot) and actions in the box.
        count = spec["expert_transitions"]
        th = torch.rand(count, dtype=torch.float64) * 2 * math.pi - math.pi
        self.expert_obs = torch.stack([th.cos(), th.sin(), torch.randn(count, dtype=torch.float64)], 1).float()
        self.expert_acts = self.low + (self.high - self.low) * torch.rand(count, self.act_dim)
        self.expert_next = self.expert_obs.clone()
        self.expert_term = torch.zeros(count, dtype=torch.bool)
        raw = self.raw_features(self.expert_obs, self.expert_acts, self.expert_next)
        self.feat_mean = raw.double().mean(0).float()
        self.feat_scale = raw.double().std(0, unbiased=False).float().clamp(min=1e-2)
        self.features = raw.shape[1]

        d = imi["discriminator"]
        self.disc = mlp(self.features + 1, d, 1, d["output_gain"])
        self.disc_opt = torch.optim.Adam(self.disc.parameters(), lr=imi["disc_learning_rate"])
        self.buffer = Buffer(imi["buffer_size"], self.features + 1, d["hidden"], d["activation"])
        self.eta = imi["eta_schedule"]["initial"]
        self.iteration = 0
        self.terminal_entropy = sum(math.log(h - l) for l, h in zip(spec["action_low"], spec["action_high"]))

    # features -------------------------------------------------------------------------------------------------------
    def raw_features(self, obs, acts, next_obs):
        if self.imi["features"] == "state_action":
            return torch.cat([obs, torch.max(torch.min(acts, self.high), self.low)], 1)
        return torch.cat([obs, next_obs], 1)

    def inputs(self, obs, acts, next_obs, terminated, absorbing):
        """Normalised features and the flag; then, with absorbing, one row (s', a, 1) per terminated transition."""
        rows = torch.cat([(self.raw_features(obs, acts, next_obs) - self.feat_mean) / self.feat_scale,
                          terminated.float().unsqueeze(1)], 1)
        if absorbing and bool(terminated.any()):
            i = terminated.nonzero().squeeze(1)
            first = next_obs[i]
            second = acts[i] if self.imi["features"] == "state_action" else next_obs[i]
            absorbing = torch.cat([(self.raw_features(first, second, next_obs[i]) - self.feat_mean) / self.feat_scale,
                                   torch.ones(len(i), 1)], 1)
            rows = torch.cat([rows, absorbing], 0)
        return rows

    # phase 1 ---------------------------------------------------------------------------------------------------------
    def collect(self):
        n, t, o, a = self.n, self.t, self.obs_dim, self.act_dim
        r = {"obs": torch.empty(t, n, o), "next": torch.empty(t, n, o), "acts": torch.empty(t, n, a),
             "means": torch.empty(t, n, a), "logp": torch.empty(t, n), "values": torch.empty(t, n)}
        rewards, term, trunc = np.empty((t, n)), np.empty((t, n), bool), np.empty((t, n), bool)
        finals, final_index = [], []
        with torch.no_grad():
            old_log_std = self.log_std.detach().clone()
            std = self.log_std.exp()
            for step in range(t):
                obs = torch.from_numpy(self.obs)
                seen = self.norm(obs) if self.norm else obs
                mean = self.policy(seen)
                value = self.critic(seen).squeeze(-1)
                act = mean + std * torch.randn(n, a)
                r["obs"][step], r["acts"][step], r["means"][step] = obs, act, mean
                r["logp"][step], r["values"][step] = log_prob(act, mean, self.log_std), value
                sent = torch.max(torch.min(act, self.high), self.low) if self.ppo["clip_actions"] else act
                nxt, rew, te, tr = self.env.step(sent.numpy())
                r["next"][step] = torch.from_numpy(nxt)
                rewards[step], term[step], trunc[step] = rew, te, tr
                cut = tr & ~te
                if cut.any():
                    final_index.extend((step * n + np.flatnonzero(cut)).tolist())
                    finals.append(nxt[cut])
                done = te | tr
                if done.any():
                    self.env.reset(done)
                    self.obs = self.env.observe()
                else:
                    self.obs = nxt
            self.env_steps += self.b
            last = torch.from_numpy(np.concatenate([self.obs] + finals))
            v = self.critic(self.norm(last) if self.norm else last).squeeze(-1)
            next_values = torch.cat([r["values"][1:].reshape(-1), v[:n]])
            if final_index:
                next_values[torch.tensor(final_index)] = v[n:]
        flat = {k: x.reshape(self.b, -1).squeeze(-1) if x.dim() == 2 else x.reshape(self.b, -1) for k, x in r.items()}
        flat.update(next_values=next_values, old_log_std=old_log_std, rewards=rewards.reshape(-1),
                    terminated=torch.from_numpy(term.reshape(-1)), truncated=trunc.reshape(-1))
        return flat

    # phase 2 ---------------------------------------------------------------------------------------------------------
    def fit_discriminator(self, roll):
        imi, count = self.imi, self.b
        perm = torch.randperm(self.expert_obs.shape[0])
        pick = perm[torch.arange(count) % perm.shape[0]]
        policy_rows = self.inputs(roll["obs"], roll["acts"], roll["next"], roll["terminated"], imi["absorbing_states"])
        expert = self.inputs(self.expert_obs[pick], self.expert_acts[pick], self.expert_next[pick], self.expert_term[pick], False)
        pin = policy_rows[:count]
        m, f = imi["disc_minibatch_size"], self.features
        alpha, lam = imi["gp_alpha"], imi["gp_lambda"]
        loss = gp = 0.0
        right = seen = steps = 0
        for epoch in range(imi["disc_epochs"]):
            order = torch.randperm(count)
            for mb in range(count // m):
                idx = order[mb * m:(mb + 1) * m]
                p, e = pin[idx], expert[idx]
                le, lp = self.disc(e).squeeze(-1), self.disc(p).squeeze(-1)
                if lam > 0:
                    with torch.no_grad():
                        x = alpha * e + (1 - alpha) * p
                        x[:, f:] = 0
                    x.requires_grad_(True)
                    y = self.disc(x).squeeze(-1).sum()
                    grad, = torch.autograd.grad([y], [x], retain_graph=True, create_graph=True)
                    norm = (grad[:, :f].square().sum(1) + 1e-12).sqrt()
                    penalty = (norm - 1).square().mean()
                else:
                    penalty = torch.zeros(())
                bce = nn.functional.softplus(-le).mean() + nn.functional.softplus(lp).mean()
                total = bce + penalty * lam
                self.disc_opt.zero_grad()
                total.backward()
                nn.utils.clip_grad_norm_(self.disc.parameters(), self.ppo["max_grad_norm"])
                self.disc_opt.step()
                v = torch.stack([bce.detach(), penalty.detach()]).tolist()
                loss, gp, steps = loss + v[0], gp + v[1], steps + 1
                if epoch == imi["disc_epochs"] - 1:
                    right += int((le.detach() > 0).sum()) + int((lp.detach() < 0).sum())
                    seen += 2 * m
        return policy_rows, loss / max(steps, 1), right / max(seen, 1)

    # phase 3 ---------------------------------------------------------------------------------------------------------
    def propose(self, roll, policy_rows):
        imi = self.imi
        self.buffer.push(self.disc)
        values = self.buffer.evaluate(policy_rows, self.buffer.weights(imi["eps"], imi["corrects"])).numpy()
        count = self.b
        td = values[:count].copy()
        term = roll["terminated"].numpy()
        if imi["absorbing_states"] and term.any():
            g, alpha = self.ppo["gamma"], self.ppo["entropy_coef"]
            td[term] += g / (1 - g) * (values[count:] + alpha * self.terminal_entropy)
        return td, float(values[:count].mean()), float(values[:count].std())

    def correct(self, eta):
        if self.imi["corrects"]:
            self.buffer.record_eta(eta)
        return self.buffer.weights(self.imi["eps"], self.imi["corrects"])

    # phase 4 ---------------------------------------------------------------------------------------------------------
    def eta_at(self, env_steps):
        s = self.imi["eta_schedule"]
        if s["kind"] == "anneal":
            value = s["initial"] * max(0.0, 1.0 - env_steps / s["anneal_steps"])
        elif s["kind"] == "constant":
            value = s["initial"]
        else:
            value = self.eta
        return max(eta_floor(s), value)

    def eta_adapt(self, eta, measured):
        s = self.imi["eta_schedule"]
        if s["kind"] == "adaptive" and math.isfinite(measured):
            return max(eta_floor(s), eta + s["learning_rate"] * (measured - s["target_kl"]) / s["target_kl"])
        return eta

    def gae(self, rewards, roll):
        n, t, p = self.n, self.t, self.ppo
        r = rewards.reshape(t, n)
        values = roll["values"].numpy().astype(np.float64).reshape(t, n)
        nxt = roll["next_values"].numpy().astype(np.float64).reshape(t, n)
        term = roll["terminated"].numpy().reshape(t, n)
        done = term | roll["truncated"].reshape(t, n)
        adv, carry = np.empty((t, n)), np.zeros(n)
        for step in range(t - 1, -1, -1):
            delta = r[step] + p["gamma"] * np.where(term[step], 0.0, nxt[step]) - values[step]
            carry = delta + np.where(done[step], 0.0, p["gamma"] * p["gae_lambda"] * carry)
            adv[step] = carry
        return (torch.from_numpy(adv.reshape(-1).astype(np.float32)),
                torch.from_numpy((adv + values).reshape(-1).astype(np.float32)))

    def update(self, roll, rewards, eta):
        p = self.ppo
        adv_all, ret_all = self.gae(rewards, roll)
        obs_all, act_all, mean_all, logp_all = roll["obs"], roll["acts"], roll["means"], roll["logp"]
        old_std = roll["old_log_std"]
        m = p["minibatch_size"]
        sums, updates = [0.0] * 6, 0
        for _ in range(p["epochs"]):
            order = torch.randperm(self.b)
            for mb in range(self.b // m):
                idx = order[mb * m:(mb + 1) * m]
                o = obs_all[idx]
                seen = self.norm(o) if self.norm else o
                mean = self.policy(seen)
                value = self.critic(seen).squeeze(-1)
                adv = adv_all[idx]
                centred = adv - adv.mean()
                adv = centred / (centred.square().mean().sqrt() + 1e-8)
                logp = log_prob(act_all[idx], mean, self.log_std)
                ratio = (logp - logp_all[idx]).exp()
                surrogate = torch.max(-adv * ratio, -adv * ratio.clamp(1 - p["clip_range"], 1 + p["clip_range"])).mean()
                value_loss = (0.5 * (value - ret_all[idx]).square()).mean()
                entropy = (self.log_std + HALF_LOG_2PIE).sum(-1).mean()
                kl_term = kl(mean, self.log_std.expand_as(mean), mean_all[idx], old_std.expand_as(mean)).mean()
                total = surrogate - entropy * p["entropy_coef"] + value_loss * p["value_coef"] + kl_term * eta
                with torch.no_grad():
                    log_ratio = logp - logp_all[idx]
                    approx_kl = ((log_ratio.exp() - 1) - log_ratio).mean()
                    clip_fraction = ((log_ratio.exp() - 1).abs() > p["clip_range"]).float().mean()
                self.policy_opt.zero_grad()
                self.critic_opt.zero_grad()
                total.backward()
                nn.utils.clip_grad_norm_(list(self.policy.parameters()) + [self.log_std], p["max_grad_norm"])
                nn.utils.clip_grad_norm_(self.critic.parameters(), p["max_grad_norm"])
                self.policy_opt.step()
                self.critic_opt.step()
                stats = torch.stack([surrogate, value_loss, entropy, kl_term, approx_kl, clip_fraction]).detach().tolist()
                sums = [a + b for a, b in zip(sums, stats)]
                updates += 1
        with torch.no_grad():
            seen = self.norm(obs_all) if self.norm else obs_all
            mean = self.policy(seen)
            measured = float(kl(mean, self.log_std.expand_as(mean), mean_all, old_std.expand_as(mean)).mean())
        if self.norm:
            self.norm.update(obs_all)
        return measured, [x / max(updates, 1) for x in sums]

    # one iteration ---------------------------------------------------------------------------------------------------
    def fill_buffer(self, eta):
        while self.buffer.count < self.buffer.capacity - 1:
            self.buffer.push(self.disc)
            if self.imi["corrects"]:
                self.buffer.record_eta(eta)

    def step(self):
        times = []
        clock = time.perf_counter()
        roll = self.collect()
        times.append(time.perf_counter() - clock)

        clock = time.perf_counter()
        policy_rows, _, _ = self.fit_discriminator(roll)
        times.append(time.perf_counter() - clock)

        clock = time.perf_counter()
        td, _, _ = self.propose(roll, policy_rows)
        proposal = time.perf_counter() - clock

        clock = time.perf_counter()
        self.eta = self.eta_at(self.env_steps - self.b)
        measured, _ = self.update(roll, td, self.eta)
        policy = time.perf_counter() - clock

        clock = time.perf_counter()
        step_eta = self.eta
        self.eta = self.eta_adapt(step_eta, measured)
        self.correct(step_eta)
        self.iteration += 1
        times.append(proposal + time.perf_counter() - clock)
        times.append(policy)
        return times


def gemm_seconds(kind, batch, inputs, outputs, repeats=3, min_seconds=0.005):
    """One product of a linear layer's shape (addmm_ into a reused output, the operands in linear's layouts, random
    data): the best of `repeats` timings after a warm-up, each repeated to at least min_seconds, as the C# bench's
    GemmRate times libtorch's."""
    w = torch.randn(outputs, inputs)
    if kind == "forward":
        left, right, out = torch.randn(batch, inputs), w.t(), torch.empty(batch, outputs)
    elif kind == "input_gradient":
        left, right, out = torch.randn(batch, outputs), w, torch.empty(batch, inputs)
    else:
        left, right, out = torch.randn(batch, outputs).t(), torch.randn(batch, inputs), torch.empty(outputs, inputs)
    with torch.no_grad():
        out.addmm_(left, right, beta=0)
        clock = time.perf_counter()
        out.addmm_(left, right, beta=0)
        single = max(time.perf_counter() - clock, 1e-7)
        inner = int(min(max(math.ceil(min_seconds / single), 1), 100_000))
        best = math.inf
        for _ in range(repeats):
            clock = time.perf_counter()
            for _ in range(inner):
                out.addmm_(left, right, beta=0)
            best = min(best, (time.perf_counter() - clock) / inner)
    return best


def gemm_floors(spec):
    """Per phase: the floor sum_i c_i t_i of its distinct products and the rate sum_i c_i M_i / floor (multiply-adds/s)."""
    floors = {}
    for work in spec["gemms"]:
        seconds = macs = 0.0
        for g in work["products"]:
            seconds += g["count"] * gemm_seconds(g["kind"], g["batch"], g["inputs"], g["outputs"])
            macs += g["count"] * g["batch"] * g["inputs"] * g["outputs"]
        floors[work["phase"]] = (seconds, macs / seconds if seconds > 0 else None)
    return floors


def blas():
    """The BLAS library mapped into this process (what torch's GEMMs run on), or torch's own build note."""
    if torch.backends.mkl.is_available():
        return "mkl"
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "/" in line}
        found = sorted(p for p in paths if "blas" in os.path.basename(p) or "blis" in os.path.basename(p))
        return ", ".join(found) if found else "unknown"
    except OSError:
        return "unknown"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: trirl_pytorch.py SPEC.json")
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    if spec.get("format") != 1:
        sys.exit(f"trirl_pytorch.py: {sys.argv[1]} has format {spec.get('format')}, this script reads format 1: run the script the CLI carries")
    torch.set_num_threads(spec["threads"])
    loop = Loop(spec)
    loop.fill_buffer(spec["fill_eta"])
    say("pytorch: warm-up iteration")
    loop.step()
    sums = [0.0] * len(PHASES)
    iterations = spec["iterations"]
    for i in range(iterations):
        say(f"pytorch: iteration {i + 1}/{iterations}")
        sums = [s + t for s, t in zip(sums, loop.step())]
    phases = [s / iterations for s in sums]
    say("pytorch: timing the GEMMs of each phase on torch's BLAS")
    floors = gemm_floors(spec)
    result = {
        "implementation": "pytorch",
        "torch_version": torch.__version__,
        "python_version": sys.version.split()[0],
        "blas": blas(),
        "threads": torch.get_num_threads(),
        "iterations": iterations,
        "steps_per_iteration": loop.b,
        "buffer_size": loop.buffer.count,
    }
    result.update(zip(PHASES, phases))
    result["loop_seconds"] = sum(phases)
    result["env_steps_per_second"] = loop.b / sum(phases)
    result["gemm_floor_seconds"] = {p: floors[p][0] for p in PHASES}
    result["gemm_multiply_adds_per_second"] = {p: floors[p][1] for p in PHASES}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
