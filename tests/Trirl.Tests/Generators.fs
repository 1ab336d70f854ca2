/// FsCheck generators: small Garnet MDPs, random rewards, random policies and the parameters of a TRIRL step.
/// Every property runs with a fixed replay seed and a small test count, so CI is fast and reproducible.
/// Auto-opened: every test module (namespace Trirl.Tests) sees them without an `open`.
[<AutoOpen>]
module Trirl.Tests.Generators

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Functional.Environments

/// A fixed FsCheck configuration: `maxTest` cases drawn from a fixed seed.
let config (maxTest: int) =
    { FsCheckConfig.defaultConfig with
        maxTest = maxTest
        replay = Some (20260501UL, 0x9E3779B97F4A7C15UL, None) }

/// The parameters of `Garnet.Create` (kept for the failure message).
type GarnetSpec =
    { States: int
      Actions: int
      Branching: int
      Seed: int64 }
    member this.Create() = Garnet.Create(this.States, this.Actions, this.Branching, this.Seed)

/// States 2..12, actions 2..4, branching 1..states, any seed.
let genGarnetSpec =
    gen {
        let! states = Gen.choose (2, 12)
        let! actions = Gen.choose (2, 4)
        let! branching = Gen.choose (1, states)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { States = states; Actions = actions; Branching = branching; Seed = int64 seed }
    }

/// Uniform in [lo, hi] on a grid of 10^6 points.
let genRange (lo: float) (hi: float) =
    Gen.choose (0, 1_000_000) |> Gen.map (fun i -> lo + (hi - lo) * float i / 1e6)

/// Log-uniform in [lo, hi].
let genLogRange (lo: float) (hi: float) = genRange (log10 lo) (log10 hi) |> Gen.map (fun e -> 10.0 ** e)

/// A table with entries uniform in [-scale, scale].
let genTable (states: int) (actions: int) (scale: float) =
    Gen.arrayOfLength (states * actions) (genRange -scale scale)
    |> Gen.map (fun v -> StateActionTable.FromFlat(states, actions, v))

/// A softmax policy of random logits in [-3, 3] (every action has positive probability).
let genSoftPolicy (states: int) (actions: int) = genTable states actions 3.0 |> Gen.map Policy.FromLogits

/// A deterministic policy (one action per state with probability 1).
let genDeterministicPolicy (states: int) (actions: int) =
    Gen.arrayOfLength states (Gen.choose (0, actions - 1))
    |> Gen.map (fun choice -> Policy.FromProbabilities(StateActionTable.Create(states, actions, fun s a -> if choice.[s] = a then 1.0 else 0.0)))

/// Mostly soft policies, sometimes deterministic ones.
let genPolicy (states: int) (actions: int) =
    Gen.frequency [ 3, genSoftPolicy states actions; 1, genDeterministicPolicy states actions ]

/// A Garnet MDP with a random reward of a random scale in [0.1, 5].
let genGarnetWithReward =
    gen {
        let! spec = genGarnetSpec
        let mdp = spec.Create()
        let! scale = genRange 0.1 5.0
        let! reward = genTable mdp.States mdp.Actions scale
        return spec, mdp, reward
    }

/// A Garnet MDP with a random reward, a random policy and an expert occupancy of full support.
type DualCase =
    { Spec: GarnetSpec
      Mdp: TabularMdp
      Reward: StateActionTable
      Policy: Policy
      ExpertOccupancy: StateActionTable
      Beta: float }

let genDualCase =
    gen {
        let! spec, mdp, reward = genGarnetWithReward
        let! policy = genPolicy mdp.States mdp.Actions
        let! expert = genSoftPolicy mdp.States mdp.Actions
        let! beta = genLogRange 0.2 10.0
        return
            ({ Spec = spec
               Mdp = mdp
               Reward = reward
               Policy = policy
               ExpertOccupancy = Irl.Occupancy(mdp, expert)
               Beta = beta }
            : DualCase)
    }

/// One TRIRL step on a Garnet: `pi_i = SoftOptimal(r_i, 1)` for a random `r_i`, a random log-ratio `D`, and random
/// `eps`, `beta`, `delta`.
type StepCase =
    { Spec: GarnetSpec
      Mdp: TabularMdp
      Reward: StateActionTable
      LogRatio: StateActionTable
      Eps: float
      Beta: float
      Delta: float }

let genStepCase =
    gen {
        let! spec = genGarnetSpec
        let mdp = spec.Create()
        let! reward = genTable mdp.States mdp.Actions 2.0
        let! d = genTable mdp.States mdp.Actions 3.0
        let! eps = genRange 0.001 1.0
        let! beta = genLogRange 0.2 5.0
        let! delta = genLogRange 1e-4 1.0
        return ({ Spec = spec; Mdp = mdp; Reward = reward; LogRatio = d; Eps = eps; Beta = beta; Delta = delta }: StepCase)
    }

/// A Garnet with a random reward scale and a temperature.
type SoftCase =
    { Spec: GarnetSpec
      Mdp: TabularMdp
      Reward: StateActionTable
      Temperature: float }

let genSoftCase =
    gen {
        let! spec, mdp, reward = genGarnetWithReward
        let! tau = genLogRange 0.2 5.0
        return ({ Spec = spec; Mdp = mdp; Reward = reward; Temperature = tau }: SoftCase)
    }

/// A Garnet with a random policy.
let genMdpWithPolicy =
    gen {
        let! spec = genGarnetSpec
        let mdp = spec.Create()
        let! policy = genPolicy mdp.States mdp.Actions
        return spec, mdp, policy
    }

/// `testPropertyWithConfig` over an explicit generator (no reflection-based Arbitrary registration).
let property (maxTest: int) (name: string) (gen: Gen<'a>) (body: 'a -> unit) =
    testPropertyWithConfig (config maxTest) name (Prop.forAll (Arb.fromGen gen) body)
