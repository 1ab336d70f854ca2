namespace Trirl.FSharp

// The continuous tasks and their datasets, curried (Trirl.Environments): each function calls the C# member its doc names.

open Trirl.Environments
open Trirl.Environments.Data
open Trirl.Deep

/// The continuous tasks (ContinuousTask, ContinuousEnvs, ShippedExperts).
[<RequireQualifiedAccess>]
module Tasks =

    /// The swing-up pendulum (ContinuousTask.Pendulum).
    let pendulum : ContinuousTask = ContinuousTask.Pendulum

    /// The pendulum with changed dynamics (ContinuousTask.PendulumShifted).
    let pendulumShifted : ContinuousTask = ContinuousTask.PendulumShifted

    /// The task named `name` (ContinuousTask.Parse; an unknown name is a TrirlInputException listing the names).
    let parse (name: string) : ContinuousTask = ContinuousTask.Parse name

    /// Every registered name (ContinuousEnvs.Names).
    let names : string list = List.ofSeq ContinuousEnvs.Names

    /// A fresh environment of the task (ContinuousTask.Create).
    let env (task: ContinuousTask) : ContinuousEnv = task.Create()

    /// The task's default normalisation anchors, random = 0 and expert = 1 (ReturnAnchors.For).
    let anchors (task: ContinuousTask) : Trirl.Deep.ReturnAnchors = ReturnAnchors.For(task.Create())

    /// How the shipped expert's anchors were measured: its and the uniform-random policy's mean returns (ShippedExperts.Anchors).
    let shippedAnchors (task: ContinuousTask) : ShippedAnchors = ShippedExperts.Anchors task.Name

    /// The normalised return of a true return under the task's anchors (ReturnAnchors.Normalize).
    let normalize (task: ContinuousTask) (ret: float) : float = (anchors task).Normalize ret

/// Transition datasets: expert demonstrations and their views (TransitionDataset, ShippedExperts, Demonstrations).
[<RequireQualifiedAccess>]
module Datasets =

    /// The task's shipped expert demonstrations (ShippedExperts.Demonstrations).
    let shipped (task: ContinuousTask) : TransitionDataset = ShippedExperts.Demonstrations task.Name

    /// Demonstrations from an .npz file, checked against the task (Demonstrations.Load).
    let load (task: ContinuousTask) (path: string) : TransitionDataset = Demonstrations.Load(path, task.Create(), "path")

    /// Observations as rows by features: `(Datasets.observations d).[i, j]` (TransitionDataset.Observations).
    let observations (data: TransitionDataset) : Trirl.Functional.FeatureBatch = data.Observations

    /// Actions as rows by features (TransitionDataset.Actions).
    let actions (data: TransitionDataset) : Trirl.Functional.FeatureBatch = data.Actions

    /// Whether each transition reached an absorbing state: an episode that ends before the task's time limit
    /// terminated (Demonstrations.Terminations).
    let terminations (task: ContinuousTask) (data: TransitionDataset) : bool[] =
        Demonstrations.Terminations(data, (task.Create()).Spec.MaxSteps)

    /// The episodes of a dataset as (first row, length), an episode ending at a done flag (TransitionDataset.EpisodeRanges).
    let episodes (data: TransitionDataset) : (int * int) list =
        data.EpisodeRanges |> Seq.map (fun e -> e.First, e.Length) |> List.ofSeq
