#!/usr/bin/env dotnet
// The C# quickstart as a file-based app: `dotnet run docs/tutorials/06-csharp-quickstart.cs` (from the repository root;
// the first run builds the two projects below). It prints what notebooks/06-csharp-quickstart.ipynb prints and writes
// the notebook's charts to runs/csharp-quickstart.html (plotly.js embedded). The notebook is made from this file
// (`dotnet fsi notebooks/tools/nbtool.fsx generate`): `/*** ... */` blocks are its markdown cells, `// ---` lines
// separate code cells, `//nb ` lines are notebook-only code, and nothing from the line `// app only` on, nor the `#`
// directives above, goes into the notebook.
#:project ../../src/Trirl.Functional/Trirl.Functional.csproj
#:project ../../fsharp/Trirl.FSharp/Trirl.FSharp.fsproj
#:package Plotly.NET.CSharp@0.14.0

/***
# 6. C# quickstart: maximum-entropy RL with Trirl.Functional

Notebook 1 in C#: soft value iteration, temperature, and occupancy measures on a 5x5 gridworld, with the library's
C# API (`Trirl.Functional`: immutable records, pure functions named after [the math note](../trirl-math.md))
and the chart functions of `Trirl.FSharp.Charts`, which are plain static methods from C#. The same code runs as a
C# file-based app (`dotnet run docs/tutorials/06-csharp-quickstart.cs`, which writes the charts to one HTML page) and
as a notebook in the C# kernel (in Jupyter, pick the .NET (C#) kernel).
*/

/***
## Setup

The notebook loads the library the way a user loads a published package (the app references the projects instead).
`notebooks/NuGet.Config` makes `artifacts/packages` (relative to this folder) a package source; `bash notebooks/run.sh`
or `bash scripts/pack.sh` fills it with `Trirl.Functional` and `Trirl.FSharp` under a build-unique prerelease version,
and `*-*` asks for the newest one, so a re-packed library is never served stale from NuGet's cache.
`Plotly.NET.Interactive` renders the charts in the notebook, where `Show` displays a chart below its cell.
*/
//nb // A kernel started outside notebooks/ does not see notebooks/NuGet.Config: add the feed by its absolute path first,
//nb // e.g. #i "nuget: /path/to/Trirl.Functional/artifacts/packages"
//nb #r "nuget: Trirl.FSharp, *-*"
//nb #r "nuget: Plotly.NET.Interactive, 6.0.0"
//nb #r "nuget: Plotly.NET.CSharp, 0.14.0"
// ---
using Plotly.NET.CSharp;          // the C# face of Plotly.NET: Chart.Line, Chart.Combine, ...
using Trirl.Functional;
using Trirl.Functional.Environments;
using Charts = Trirl.FSharp.Charts;
//nb
//nb void Show(Plotly.NET.GenericChart chart) => display(chart);

/***
## A small MDP

A 5x5 slippery gridworld: 25 cells, four moves that succeed with probability $0.9$, discount $\gamma = 0.9$; the
true reward is $+1$ in the goal (bottom-right), $-1$ in a few traps.
*/
var mdp = Gridworld.Create(size: 5, slip: 0.1);
var grid = new GridShape(5, 5);
var reward = mdp.RequireReward("the examples");
Console.WriteLine($"{mdp.Name}: {mdp.States} states, {mdp.Actions} actions, gamma = {mdp.Gamma}, {mdp.TransitionCount} transition entries");
// ---
Show(Charts.rewardHeatmap(grid, "True reward r(s): goal +1, traps -1", reward));

/***
## Soft value iteration

$$Q(s,a) = r(s,a) + \gamma \sum_{s'} P(s' \mid s,a)\, V(s'), \qquad V(s) = \tau \log \sum_a e^{Q(s,a)/\tau}, \qquad \log \pi(a \mid s) = \frac{Q(s,a) - V(s)}{\tau}$$

`Irl.SoftOptimal(mdp, r, tau)` iterates the backup (a $\gamma$-contraction) to its fixed point.
*/
var soft = Irl.SoftOptimal(mdp, reward, temperature: 1.0);
Console.WriteLine($"converged in {soft.Iterations} sweeps (last change {soft.Residual:E1}); V(start) = {soft.V[0]:F4}, V(goal) = {soft.V[24]:F4}");

// The fixed point, checked by hand: one more backup changes nothing.
double worst = 0;
for (int s = 0; s < mdp.States; s++)
    for (int a = 0; a < mdp.Actions; a++)
    {
        double backup = reward[s, a] + mdp.Gamma * mdp.TransitionsOf(s, a).Sum(t => t.Probability * soft.V[t.Next]);
        worst = Math.Max(worst, Math.Abs(backup - soft.Q[s, a]));
    }
Console.WriteLine($"max |backup(Q) - Q| = {worst:E1}");
// ---
Show(Charts.stateHeatmap(grid, "Soft value V(s) at tau = 1", soft.V));

/***
## Temperature

Low temperature: nearly greedy, high reward, low entropy. High temperature: nearly uniform. And
$\mathrm{SoftOptimal}(r, \tau) = \mathrm{SoftOptimal}(r/\tau, 1)$.
*/
var temperatures = new[] { 0.03, 0.1, 0.3, 1.0, 3.0, 10.0 };
var rewards = new List<double>();
var entropies = new List<double>();
foreach (var tau in temperatures)
{
    var policy = Irl.SoftOptimal(mdp, reward, tau).Policy;
    var rho = Irl.Occupancy(mdp, policy);
    var stateRho = rho.RowSums();
    double entropy = Enumerable.Range(0, mdp.States).Sum(s => stateRho[s] * policy.Entropy(s));
    rewards.Add(Irl.ExpectedReturn(rho, reward));
    entropies.Add(entropy);
    Console.WriteLine($"tau {tau,5:F2}   expected reward {rewards[^1],7:+0.0000;-0.0000}   causal entropy {entropy:F4}   (uniform: {Math.Log(4):F4})");
}

var direct = Irl.SoftOptimal(mdp, reward, 0.3).Policy;
var scaled = Irl.SoftOptimal(mdp, reward.Scale(1 / 0.3), 1.0).Policy;
Console.WriteLine($"max |log pi(r, 0.3) - log pi(r / 0.3, 1)| = {StateActionTable.MaxAbsDifference(direct.LogProbabilities, scaled.LogProbabilities):E1}");
// ---
Show(Chart.Combine(new[]
    {
        Chart.Line<double, double, string>(x: temperatures, y: rewards, Name: "expected reward", ShowMarkers: true),
        Chart.Line<double, double, string>(x: temperatures, y: entropies, Name: "causal entropy", ShowMarkers: true),
    })
    .WithXAxisStyle<double, double, string>(TitleText: "temperature tau", AxisType: Plotly.NET.StyleParam.AxisType.Log)
    .WithSize(720, 420));

/***
## Occupancy measures

$\rho_\pi(s,a) = (1-\gamma) \sum_t \gamma^t \Pr(s_t = s, a_t = a)$ sums to one; with $\tau = 1$ the soft-optimal
policy maximises $\sum \rho_\pi (r - \log \pi)$, with maximum $(1-\gamma)\, p_0 \cdot V_r$.
*/
var occupancy = Irl.Occupancy(mdp, soft.Policy);
Console.WriteLine($"sum of rho = {occupancy.Sum():F15}");

double MaxEntObjective(Policy policy)
{
    var rho = Irl.Occupancy(mdp, policy);
    double total = 0;
    for (int s = 0; s < mdp.States; s++)
        for (int a = 0; a < mdp.Actions; a++)
            total += rho[s, a] * (reward[s, a] - policy.LogProbabilities[s, a]);
    return total;
}

double bound = (1 - mdp.Gamma) * Enumerable.Range(0, mdp.States).Sum(s => mdp.Initial[s] * soft.V[s]);
Console.WriteLine($"soft-optimal policy: {MaxEntObjective(soft.Policy):F12}");
Console.WriteLine($"(1 - gamma) p0 . V:  {bound:F12}");
Console.WriteLine($"uniform policy:      {MaxEntObjective(Policy.Uniform(mdp.States, mdp.Actions)):F12}   (lower, as it must be)");
// ---
Show(Charts.occupancyHeatmap(grid, "State occupancy rho(s) at tau = 0.1", Irl.Occupancy(mdp, Irl.SoftOptimal(mdp, reward, 0.1).Policy)));

/***
## A TRIRL run in C#

The learner is a lazy sequence of immutable iterations (`Learner.Run`), consumed with LINQ; the charts take the
iterations' metrics.
*/
var problem = TrirlProblem.FromTrueReward(mdp, expertBeta: 3.0);
var settings = TrirlSettings.Trirl(beta: 3.0, eps: 0.05, delta: 0.01);
var history = Learner.Run(problem, settings).Take(60).ToArray();
foreach (var it in history.Where(it => it.Iteration % 10 == 0))
    Console.WriteLine($"{it.Iteration,3}  gap {it.Gap:E2}  eta {it.Eta:F3}  return {it.NormalizedReturn:F3}");
// ---
Show(Charts.gap(history.Select(it => it.Metrics)));

// app only: the charts the notebook shows below its cells, on one self-contained page (plotly.js embedded).
var page = Path.GetFullPath(Path.Combine("runs", "csharp-quickstart.html"));
Directory.CreateDirectory(Path.GetDirectoryName(page)!);
Charts.writeAtomic(page, Charts.toHtmlPage("C# quickstart", "notebooks/06-csharp-quickstart.ipynb as a C# file-based app", Shown.Charts));
Console.WriteLine($"wrote {page}");

void Show(Plotly.NET.GenericChart chart) => Shown.Charts.Add(chart);

/// <summary>The charts of the run, in order.</summary>
static class Shown
{
    /// <summary>Every chart passed to Show.</summary>
    public static readonly List<Plotly.NET.GenericChart> Charts = new();
}
