/// TorchSharp 0.107's implicit Scalars: a number passed where a Scalar is expected (`t.add_(1e-8)`, `0.5 * t`, the
/// alpha = 1 of `a + b`, the 2 of `square()`) becomes a finalizable Scalar that nothing references once its handle is
/// read, so a garbage collection started by another thread can free it while libtorch reads it (a long SAC run failed
/// in TorchSharp's Adam.step `add_(eps)` with "Unknown scalar type"). KeptScalars.Adam (TorchSharp's Adam step with kept
/// Scalars) must give the same bits and the same checkpoint bytes as TorchSharp's Adam, and KeptScalars' helpers the
/// same bits as the operators they replace, also while another thread collects garbage in a tight loop. With
/// TorchSharp's own Adam in its place the stress test failed 6 runs of 6 (within 2.5 s, once with the very "Unknown
/// scalar type" of the SAC run), but it is a race: a pass is evidence, not proof; the bit-identity test is exact.
module Trirl.Tests.TorchScalarTests

open System
open System.IO
open System.Threading
open Expecto
open TorchSharp
open TorchSharp.Modules
open Trirl.Deep

let private shapes = [| [| 16L; 8L |]; [| 16L |]; [| 1L; 16L |]; [| 1L |] |]

let private uniform (rng: Random) (shape: int64[]) =
    Array.init (int (Array.fold (*) 1L shape)) (fun _ -> float32 (2.0 * rng.NextDouble() - 1.0))

/// The parameters of a small network, the same for the same seed.
let private parameters (seed: int) : Parameter[] =
    let rng = Random(seed)
    shapes |> Array.map (fun s -> new Parameter(torch.tensor(uniform rng s).reshape(s)))

/// The coefficients of step t's loss, one tensor per parameter.
let private coefficients (t: int) = let rng = Random(1000 + t) in shapes |> Array.map (fun s -> torch.tensor(uniform rng s).reshape(s))

/// 0.5 * sum_k sum(p_k^2 * c_k) with TorchSharp's operators (implicit Scalars: not for use under GC stress).
let private implicitLoss (ps: Parameter[]) (cs: torch.Tensor[]) : torch.Tensor =
    let terms = Array.map2 (fun (p: Parameter) (c: torch.Tensor) -> (p.square() * c).sum()) ps cs
    let total : torch.Tensor = Array.reduce (fun (a: torch.Tensor) (b: torch.Tensor) -> a + b) terms
    0.5 * total

/// The same loss with KeptScalars' helpers (every Scalar kept alive).
let private keptLoss (ps: Parameter[]) (cs: torch.Tensor[]) : torch.Tensor =
    let terms = Array.map2 (fun (p: Parameter) (c: torch.Tensor) -> KeptScalars.Squared(p).mul(c).sum()) ps cs
    (Array.reduce (fun a b -> KeptScalars.Plus(a, b)) terms).mul(KeptScalars.Half)

/// Steps first .. first + count - 1 of Adam on the loss.
let private train (opt: Adam) (ps: Parameter[]) loss first count =
    for t in first .. first + count - 1 do
        use scope = torch.NewDisposeScope()
        opt.zero_grad()
        (loss ps (coefficients t) : torch.Tensor).backward()
        opt.step() |> ignore

let private bits (ps: Parameter[]) =
    ps |> Array.collect (fun p -> p.detach().cpu().data<float32>().ToArray() |> Array.map BitConverter.SingleToInt32Bits)

let private stateBytes (opt: Adam) =
    use stream = new MemoryStream()
    use writer = new BinaryWriter(stream)
    opt.save_state_dict writer
    writer.Flush()
    stream.ToArray()

/// Runs work while another thread collects generation 0 and waits for the finalizers in a tight loop; returns the
/// number of collections made meanwhile.
let private underGcStress (work: unit -> unit) =
    use stop = new CancellationTokenSource()
    let collections = ref 0
    let stress =
        Thread((fun () ->
            while not stop.IsCancellationRequested do
                GC.Collect 0
                GC.WaitForPendingFinalizers()
                collections.Value <- collections.Value + 1),
               IsBackground = true, Name = "gc-stress")
    stress.Start()
    try work ()
    finally
        stop.Cancel()
        stress.Join()
    collections.Value

/// `underGcStress` repeated (at most `limit` times) until the stress thread has collected at least `minimum` times,
/// so that "garbage was collected throughout" holds on a loaded machine too, where the stress thread gets fewer time
/// slices per run; each repetition's result is kept. Returns the collections and the results.
let private underGcStressAtLeast (minimum: int) (limit: int) (work: unit -> 'T) =
    let results = ResizeArray<'T>()
    let mutable collections = 0
    while collections < minimum && results.Count < limit do
        collections <- collections + underGcStress (fun () -> results.Add(work ()))
    collections, List.ofSeq results

// ---------------------------------------------------------------- the library's closed forms against their former code

/// The float32 bits of a tensor.
let private tensorBits (t: torch.Tensor) =
    t.detach().cpu().contiguous().data<float32>().ToArray() |> Array.map BitConverter.SingleToInt32Bits

/// A float32 tensor of the shape, uniform in [-scale, scale], the same for the same seed.
let private uniformTensor (seed: int) (shape: int64[]) (scale: float) =
    let rng = Random(seed)
    torch.tensor(uniform rng shape |> Array.map (fun v -> float32 scale * v)).reshape(shape)

/// The bits of f's value and of the gradient of its sum with respect to each input (none for an input it detaches).
let private valueAndGrads (f: torch.Tensor[] -> torch.Tensor) (inputs: torch.Tensor[]) =
    use scope = torch.NewDisposeScope()
    let leaves = inputs |> Array.map (fun x -> x.detach().requires_grad_(true))
    let y = f leaves
    y.sum().backward()
    tensorBits y, leaves |> Array.map (fun l -> match l.grad with | null -> [||] | g -> tensorBits g)

let private implicitScalar (v: float) : Scalar = Scalar.op_Implicit v
let private implicitIntScalar (v: int) : Scalar = Scalar.op_Implicit v
let private halfLog2Pi = 0.5 * Math.Log(2.0 * Math.PI)
let private halfLog2PiE = 0.5 * Math.Log(2.0 * Math.PI * Math.E)

// The code the library ran before its Scalars were kept (TorchSharp's operators and implicit conversions): the
// replacements must give the same bits, values and gradients.
let private formerLogProb (x: torch.Tensor) (mean: torch.Tensor) (logStd: torch.Tensor) =
    let z = (x - mean) * (-logStd).exp()
    (z.square().mul(implicitScalar -0.5) - logStd - halfLog2Pi).sum(-1L)

let private formerEntropy (logStd: torch.Tensor) = (logStd + halfLog2PiE).sum(-1L)

let private formerKl (meanP: torch.Tensor) (logStdP: torch.Tensor) (meanQ: torch.Tensor) (logStdQ: torch.Tensor) =
    let varRatio = (2 * (logStdP - logStdQ)).exp()
    let maha = (meanP - meanQ).square() * (-2 * logStdQ).exp()
    ((logStdQ - logStdP) + 0.5 * (varRatio + maha) - 0.5).sum(-1L)

let private formerTanhLogDet (x: torch.Tensor) =
    (2.0 * (Math.Log 2.0 - x - torch.nn.functional.softplus(-2.0 * x))).sum(-1L)

let private formerSacTarget (r: torch.Tensor) (term: torch.Tensor) (q1: torch.Tensor) (q2: torch.Tensor) (logp: torch.Tensor) (alpha: float) (gamma: float) =
    let soft = torch.minimum(q1, q2) - alpha * logp
    r + gamma * (1 - term) * soft

let private formerTemperatureLoss (logAlpha: torch.Tensor) (logp: torch.Tensor) (targetEntropy: float) =
    -(logAlpha * (logp.detach() + targetEntropy)).mean()

let private formerSurrogate (logp: torch.Tensor) (oldLogp: torch.Tensor) (adv: torch.Tensor) (clip: float) =
    let ratio = (logp - oldLogp).exp()
    torch.maximum(-adv * ratio, -adv * ratio.clamp(implicitScalar (1.0 - clip), implicitScalar (1.0 + clip))).mean()

let private formerNormalize (adv: torch.Tensor) =
    let centred = adv - adv.mean()
    centred / (centred.square().mean().sqrt() + 1e-8)

let private formerLogistic (e: torch.Tensor) (p: torch.Tensor) =
    torch.nn.functional.softplus(-e).mean() + torch.nn.functional.softplus(p).mean()

let private formerPenalty (logits: torch.Tensor -> torch.Tensor) (e: torch.Tensor) (p: torch.Tensor) (alpha: float) (featureSize: int64) =
    let x =
        use _ = torch.no_grad()
        let x = alpha * e + (1.0 - alpha) * p
        x.narrow(1L, featureSize, x.shape.[1] - featureSize).zero_() |> ignore
        x
    let x = x.detach().requires_grad_(true)
    let y = (logits x).sum()
    let grad = torch.autograd.grad([| y |], [| x |], retain_graph = true, create_graph = true).[0]
    let norm = (grad.narrow(1L, 0L, featureSize).square().sum(dim = 1L) + 1e-12).sqrt()
    (norm - 1).square().mean()

/// PPO's loss, SAC's target through the squashed log-density, and the discriminator's loss with its gradient penalty on
/// the inputs, with their gradients (taken with autograd.grad, so nothing accumulates): the bits of each, one array.
/// Nothing here converts a number to a Scalar implicitly, so it may run under GC stress.
let private lossBits (disc: Discriminator) (settings: PpoSettings) (t: torch.Tensor[]) =
    use scope = torch.NewDisposeScope()
    let mean, logStd, acts, oldLogp, oldMean, adv, returns, flags, e, p = t.[0], t.[1], t.[2], t.[3], t.[4], t.[5], t.[6], t.[7], t.[8], t.[9]
    let m = mean.detach().requires_grad_(true)
    let ls = logStd.detach().requires_grad_(true)
    let terms = PpoLoss.Compute(m, ls, acts, oldLogp, oldMean, logStd, PpoLoss.NormalizeAdvantages adv, oldLogp, returns, settings)
    let ppo = torch.autograd.grad([| terms.Total |], [| m; ls |])
    let x = acts.detach().requires_grad_(true)
    let target = SacTargets.Compute(returns, flags, returns, oldLogp, DiagonalGaussian.SquashedLogProb(x, mean, logStd), 0.2, 0.99)
    let sac = torch.autograd.grad([| target.sum() |], [| x |])
    let discLoss =
        KeptScalars.Plus(DiscriminatorLoss.Logistic(disc.forward e, disc.forward p),
                         DiscriminatorLoss.GradientPenalty(Func<_, _>(fun z -> disc.forward z), e, p, 0.5, 4))
    let discGrads = torch.autograd.grad([| discLoss |], [| for q in disc.parameters() -> q :> torch.Tensor |])
    Array.concat [ yield tensorBits terms.Total; yield! Seq.map tensorBits ppo; yield tensorBits target; yield! Seq.map tensorBits sac
                   yield tensorBits discLoss; yield! Seq.map tensorBits discGrads ]

/// A tiny TRIRL run on the pendulum (PPO updates, discriminator steps with the gradient penalty, the buffer, the KL
/// hook): its metrics' bits, policy and reward bytes after the steps.
let private tinyTrirl (steps: int64) =
    let settings =
        RlRunSettings.Create("pendulum", "ppo", 3L, "tiny").WithEvalEpisodes(1).WithLearner(ImitationSettings.Tiny)
    use run = RlRun.StartImitation(settings, Trirl.Environments.ShippedExperts.Demonstrations "pendulum", torch.CPU)
    let rows = [| for p in run.Train steps -> p.Metrics.Values |> Seq.map BitConverter.DoubleToInt64Bits |> Array.ofSeq |]
    use reward = run.ExportReward()
    rows, run.ExportPolicy().ToCheckpoint().ToBytes(), reward.ToCheckpoint().ToBytes()

// Sequenced: Expecto runs sequenced tests alone, after the parallel ones, so the GC stress reaches no other test.
[<Tests>]
let tests =
    testSequenced <| testList "TorchScalars" [
        testCase "KeptScalars Adam = TorchSharp's Adam bit for bit over 300 steps, with byte-identical state that each resumes from the other" <| fun () ->
            TorchRuntime.Ensure()
            let configs : (string * (Parameter[] -> Adam) * (Parameter[] -> Adam)) list = [
                "defaults (lr 3e-4)",
                (fun ps -> torch.optim.Adam(ps, lr = 3e-4)),
                (fun ps -> new KeptScalars.Adam(ps, lr = 3e-4) :> Adam)
                "weight decay, amsgrad, maximize",
                (fun ps -> torch.optim.Adam(ps, lr = 1e-2, weight_decay = 0.01, amsgrad = true, maximize = true)),
                (fun ps -> new KeptScalars.Adam(ps, lr = 1e-2, weight_decay = 0.01, amsgrad = true, maximize = true) :> Adam) ]
            for name, torchSharp, kept in configs do
                let ps1, ps2 = parameters 3, parameters 3
                use opt1 = torchSharp ps1
                use opt2 = kept ps2
                train opt1 ps1 implicitLoss 0 300
                train opt2 ps2 keptLoss 0 300
                Expect.equal (opt2.GetType().Name) "Adam" $"{name}: the type name save_state_dict writes"
                Expect.sequenceEqual (bits ps2) (bits ps1) $"{name}: parameters after 300 steps"
                let saved = stateBytes opt1
                Expect.sequenceEqual (stateBytes opt2) saved $"{name}: save_state_dict bytes"
                // TorchSharp's checkpoint read by KeptScalars.Adam (and the reverse) continues identically.
                let ps3 = parameters 0
                let ps4 = parameters 0
                do
                    use _ = torch.no_grad()
                    for target, source in Array.zip ps3 ps1 do target.copy_(source) |> ignore
                    for target, source in Array.zip ps4 ps2 do target.copy_(source) |> ignore
                use opt3 = kept ps3
                use opt4 = torchSharp ps4
                opt3.load_state_dict(new BinaryReader(new MemoryStream(saved)))
                opt4.load_state_dict(new BinaryReader(new MemoryStream(stateBytes opt2)))
                train opt1 ps1 implicitLoss 300 50
                train opt3 ps3 keptLoss 300 50
                train opt4 ps4 implicitLoss 300 50
                Expect.sequenceEqual (bits ps3) (bits ps1) $"{name}: KeptScalars.Adam resumed from TorchSharp's state"
                Expect.sequenceEqual (bits ps4) (bits ps1) $"{name}: TorchSharp's Adam resumed from KeptScalars.Adam's state"

        testCase "FusedAdam: one pass gives the bits of TorchSharp's nine calls (parameter and both moments) over 200 steps, on network shapes, vector tails and a parameter past the stack buffer" <| fun () ->
            TorchRuntime.Ensure()
            // Off where this libtorch's kernels round differently (no MKL vmsSqrt, no FMA): KeptScalars.Adam then keeps
            // TorchSharp's calls, which the test above checks.
            if not FusedAdam.Available then skiptest "FusedAdam.Available is false on this machine: KeptScalars.Adam uses TorchSharp's calls"
            let rng = Random(42)
            for n in [ 1; 3; 17; 64; 64 * 17; 64 * 64; 4103; 6000 ] do
                let init = Array.init n (fun _ -> float32 (2.0 * rng.NextDouble() - 1.0))
                use reference = torch.tensor(init)
                use fused = torch.tensor(init)
                use m0 = torch.zeros(int64 n)
                use v0 = torch.zeros(int64 n)
                use m1 = torch.zeros(int64 n)
                use v1 = torch.zeros(int64 n)
                for step in 1L .. 200L do
                    // Gradients over eight orders of magnitude, signs mixed.
                    let g = Array.init n (fun _ -> float32 ((2.0 * rng.NextDouble() - 1.0) * Math.Pow(10.0, 8.0 * rng.NextDouble() - 6.0)))
                    use grad = torch.tensor(g)
                    KeptScalars.Adam.ReferenceStep(reference, grad, m0, v0, step, 1e-3, 0.9, 0.999, 1e-8)
                    FusedAdam.Step(fused, grad, m1, v1, step, 1e-3, 0.9, 0.999, 1e-8)
                let same (a: torch.Tensor) (b: torch.Tensor) =
                    Array.map BitConverter.SingleToInt32Bits (a.data<float32>().ToArray()) = Array.map BitConverter.SingleToInt32Bits (b.data<float32>().ToArray())
                Expect.isTrue (same fused reference) $"{n} parameters: the same bits after 200 steps"
                Expect.isTrue (same m1 m0) $"{n} parameters: the first moment"
                Expect.isTrue (same v1 v0) $"{n} parameters: the second moment"
                Expect.isFalse (same fused (torch.tensor init)) $"{n} parameters: the steps moved them"

        testCase "KeptScalars Adam and helpers under GC stress from another thread: no failure, the bits of an unstressed TorchSharp Adam" <| fun () ->
            TorchRuntime.Ensure()
            let steps = 3000
            let reference = parameters 7
            use referenceOpt = torch.optim.Adam(reference, lr = 1e-3)
            train referenceOpt reference implicitLoss 0 steps
            let stressed = parameters 7
            use opt = new KeptScalars.Adam(stressed, lr = 1e-3)
            let collections = underGcStress (fun () -> train opt stressed keptLoss 0 steps)
            Expect.isGreaterThan collections 100 "the stress thread collected garbage throughout"
            Expect.sequenceEqual (bits stressed) (bits reference) "parameters after the stressed steps"

        testCase "Kept softplus and ELU, Gaussian closed forms, PPO, SAC and discriminator losses = their former implicit-Scalar code bit for bit, values and gradients" <| fun () ->
            TorchRuntime.Ensure()
            Expect.isTrue KeptScalars.SoftplusKept "TorchSharp's private softplus1(Scalar, Scalar) was found"
            let same name (actual: int[] * int[][]) (expected: int[] * int[][]) =
                Expect.sequenceEqual (fst actual) (fst expected) $"{name}: value"
                Array.iteri2 (fun i (a: int[]) (e: int[]) -> Expect.sequenceEqual a e $"{name}: gradient {i}") (snd actual) (snd expected)
            // Large entries too: softplus switches to the identity above its threshold 20.
            let x = uniformTensor 1 [| 64L; 3L |] 30.0
            let mean = uniformTensor 2 [| 64L; 3L |] 2.0
            let logStd = uniformTensor 3 [| 64L; 3L |] 1.5
            let mean2 = uniformTensor 4 [| 64L; 3L |] 2.0
            let logStd2 = uniformTensor 5 [| 64L; 3L |] 1.5
            let row = uniformTensor 6 [| 64L |] 3.0
            let row2 = uniformTensor 7 [| 64L |] 3.0
            let row3 = uniformTensor 8 [| 64L |] 3.0
            let flags = torch.tensor(Array.init 64 (fun i -> if i % 5 = 0 then 1.0f else 0.0f))
            same "softplus" (valueAndGrads (fun a -> KeptScalars.Softplus a.[0]) [| x |]) (valueAndGrads (fun a -> torch.nn.functional.softplus a.[0]) [| x |])
            use kept = new KeptScalars.EluModule()
            use elu = torch.nn.ELU()
            same "ELU" (valueAndGrads (fun a -> kept.forward a.[0]) [| x |]) (valueAndGrads (fun a -> elu.forward a.[0]) [| x |])
            // The kept ELU holds no state: an ELU network saves the bytes of the same network with parameterless tanh.
            let saved (activation: Activation) =
                use net = new Mlp("net", 3, MlpSpec(Collections.Immutable.ImmutableArray.Create(8, 8), activation, true), 1, 1.0, Trirl.Functional.Rng(2UL))
                use stream = new MemoryStream()
                use writer = new BinaryWriter(stream)
                net.save writer |> ignore
                writer.Flush()
                stream.ToArray()
            Expect.sequenceEqual (saved Activation.Elu) (saved Activation.Tanh) "saved bytes of an ELU network"
            same "LogProb" (valueAndGrads (fun a -> DiagonalGaussian.LogProb(a.[0], a.[1], a.[2])) [| x; mean; logStd |])
                (valueAndGrads (fun a -> formerLogProb a.[0] a.[1] a.[2]) [| x; mean; logStd |])
            same "Entropy" (valueAndGrads (fun a -> DiagonalGaussian.Entropy a.[0]) [| logStd |]) (valueAndGrads (fun a -> formerEntropy a.[0]) [| logStd |])
            same "Kl" (valueAndGrads (fun a -> DiagonalGaussian.Kl(a.[0], a.[1], a.[2], a.[3])) [| mean; logStd; mean2; logStd2 |])
                (valueAndGrads (fun a -> formerKl a.[0] a.[1] a.[2] a.[3]) [| mean; logStd; mean2; logStd2 |])
            same "TanhLogDetJacobian" (valueAndGrads (fun a -> DiagonalGaussian.TanhLogDetJacobian a.[0]) [| x |])
                (valueAndGrads (fun a -> formerTanhLogDet a.[0]) [| x |])
            same "SacTargets.Compute" (valueAndGrads (fun a -> SacTargets.Compute(a.[0], flags, a.[1], a.[2], a.[3], 0.37, 0.99)) [| row; row2; row3; x.narrow(1L, 0L, 1L).squeeze(1L) |])
                (valueAndGrads (fun a -> formerSacTarget a.[0] flags a.[1] a.[2] a.[3] 0.37 0.99) [| row; row2; row3; x.narrow(1L, 0L, 1L).squeeze(1L) |])
            let logAlpha = torch.tensor([| -0.3f |])
            same "SacTargets.TemperatureLoss" (valueAndGrads (fun a -> SacTargets.TemperatureLoss(a.[0], a.[1], -1.0)) [| logAlpha; row |])
                (valueAndGrads (fun a -> formerTemperatureLoss a.[0] a.[1] -1.0) [| logAlpha; row |])
            same "PpoLoss.ClippedSurrogate" (valueAndGrads (fun a -> PpoLoss.ClippedSurrogate(a.[0], a.[1], a.[2], 0.2)) [| row.mul(implicitScalar 0.1); row2.mul(implicitScalar 0.1); row3 |])
                (valueAndGrads (fun a -> formerSurrogate a.[0] a.[1] a.[2] 0.2) [| row.mul(implicitScalar 0.1); row2.mul(implicitScalar 0.1); row3 |])
            same "PpoLoss.NormalizeAdvantages" (valueAndGrads (fun a -> PpoLoss.NormalizeAdvantages a.[0]) [| row |]) (valueAndGrads (fun a -> formerNormalize a.[0]) [| row |])
            // The policy's observation normalisation (kept Scalars since a GAIL run died in its `var + 1e-8`), against its
            // former implicit formula on the same statistics; observations scaled so that some entries clip at +-10.
            use obsNorm = new ObservationNormalizer(3)
            let batch = uniformTensor 9 [| 64L; 3L |] 2.0
            obsNorm.Update(ReadOnlySpan(batch.data<float32>().ToArray()), 64)
            let obs = uniformTensor 10 [| 64L; 3L |] 40.0
            let formerObsNorm (o: torch.Tensor) =
                let m = torch.tensor(obsNorm.Mean).``to``(o.dtype)
                let std = (torch.tensor(obsNorm.Variance) + 1e-8).sqrt().``to``(o.dtype)
                ((o - m) / std).clamp(implicitScalar -10.0, implicitScalar 10.0)
            same "ObservationNormalizer.forward" (valueAndGrads (fun a -> obsNorm.forward a.[0]) [| obs |]) (valueAndGrads (fun a -> formerObsNorm a.[0]) [| obs |])
            let t = PpoSettings.Tiny
            // Every coefficient nonzero, so each term reaches the gradient.
            let settings = PpoSettings(t.Copies, t.RolloutSteps, t.Epochs, t.MinibatchSize, t.LearningRate, t.Gamma, t.GaeLambda, 0.2,
                                       0.013, 0.7, 0.3, t.MaxGradNorm, t.InitialStd, t.Policy, t.Critic)
            let formerTotal (a: torch.Tensor[]) =
                let logp = formerLogProb a.[2] a.[0] a.[1]
                let policy = formerSurrogate logp a.[3] a.[4] settings.ClipRange
                let value = (a.[5] - a.[6]).square().mul(implicitScalar 0.5).mean()
                let entropy = (formerEntropy a.[1]).mean()
                let kl = (formerKl a.[0] (a.[1].expand_as a.[0]) a.[7] (a.[8].expand_as a.[7])).mean()
                policy - settings.EntropyCoef * entropy + settings.ValueCoef * value + settings.Eta * kl
            let ppoInputs = [| mean; logStd.narrow(0L, 0L, 1L).squeeze(0L); x.mul(implicitScalar 0.1); row.mul(implicitScalar 0.1); row2; row3; row2.mul(implicitScalar 0.5); mean2; logStd2.narrow(0L, 0L, 1L).squeeze(0L) |]
            same "PpoLoss.Compute" (valueAndGrads (fun a -> PpoLoss.Compute(a.[0], a.[1], a.[2], a.[3], a.[7], a.[8], a.[4], a.[5], a.[6], settings).Total) ppoInputs)
                (valueAndGrads formerTotal ppoInputs)
            same "DiscriminatorLoss.Logistic" (valueAndGrads (fun a -> DiscriminatorLoss.Logistic(a.[0], a.[1])) [| row; row2 |])
                (valueAndGrads (fun a -> formerLogistic a.[0] a.[1]) [| row; row2 |])
            let spec = MlpSpec(Collections.Immutable.ImmutableArray.Create(8, 8), Activation.Tanh, false)
            use disc = new Discriminator(3, spec, Trirl.Functional.Rng(5UL))
            use twin = new Discriminator(3, spec, Trirl.Functional.Rng(5UL))
            let penaltyGrads (d: Discriminator) (penalty: unit -> torch.Tensor) =
                use scope = torch.NewDisposeScope()
                let y = penalty ()
                y.backward()
                // The output bias does not reach the input gradient: it has none.
                tensorBits y, d.parameters() |> Seq.map (fun p -> match p.grad with | null -> [||] | g -> tensorBits g) |> Array.ofSeq
            let e = uniformTensor 9 [| 32L; 4L |] 2.0
            let p = uniformTensor 10 [| 32L; 4L |] 2.0
            same "DiscriminatorLoss.GradientPenalty" (penaltyGrads disc (fun () -> DiscriminatorLoss.GradientPenalty(Func<_, _>(fun x -> disc.forward x), e, p, 0.5, 3)))
                (penaltyGrads twin (fun () -> formerPenalty (fun x -> twin.forward x) e p 0.5 3L))

        testCase "PPO loss, SAC target and discriminator loss with gradient penalty, values and gradients, under GC stress from another thread for 2.5 s: no failure, every time the bits of an unstressed evaluation" <| fun () ->
            TorchRuntime.Ensure()
            // Small batches: many ops (and formerly many implicit Scalars) per second. The same evaluation written as the
            // library's code was before its Scalars were kept (the former* functions above) failed under this stress 6 times
            // in 6, within 0.1 to 1.2 s (20 to 280 evaluations); this one has not failed (also 10 runs of 3 s outside Expecto).
            let rows = 64L
            let inputs =
                [| uniformTensor 11 [| rows; 4L |] 1.0; uniformTensor 12 [| 4L |] 0.5; uniformTensor 13 [| rows; 4L |] 1.0
                   uniformTensor 14 [| rows |] 1.0; uniformTensor 15 [| rows; 4L |] 1.0; uniformTensor 16 [| rows |] 1.0
                   uniformTensor 17 [| rows |] 1.0; torch.tensor(Array.init (int rows) (fun i -> if i % 7 = 0 then 1.0f else 0.0f))
                   uniformTensor 18 [| rows; 5L |] 1.0; uniformTensor 19 [| rows; 5L |] 1.0 |]
            use disc = new Discriminator(4, MlpSpec(Collections.Immutable.ImmutableArray.Create(32, 32), Activation.Tanh, false), Trirl.Functional.Rng(1UL))
            let settings = PpoSettings.Tiny.WithEta(0.2)
            let reference = lossBits disc settings inputs
            let evaluations = ref 0
            let collections =
                underGcStress (fun () ->
                    let watch = Diagnostics.Stopwatch.StartNew()
                    while watch.Elapsed.TotalSeconds < 2.5 do
                        let bits = lossBits disc settings inputs
                        if bits <> reference then failwith $"evaluation {evaluations.Value} under stress differs from the unstressed one"
                        evaluations.Value <- evaluations.Value + 1)
            Expect.isGreaterThan collections 100 "the stress thread collected garbage throughout"
            Expect.isGreaterThan evaluations.Value 0 "evaluations under stress"

        testCase "A tiny TRIRL run (PPO updates, discriminator steps with the gradient penalty) under GC stress from another thread: no failure, the bits of an unstressed run" <| fun () ->
            TorchRuntime.Ensure()
            let steps = 1000L
            let reference = tinyTrirl steps
            let collections, runs = underGcStressAtLeast 101 10 (fun () -> tinyTrirl steps)
            let referenceRows, referencePolicy, referenceReward = reference
            Expect.isGreaterThan collections 100 "the stress thread collected garbage throughout"
            for k, (rows, policy, reward) in List.indexed runs do
                Expect.equal rows.Length referenceRows.Length $"run {k}: metrics rows"
                Array.iteri2 (fun i (a: int64[]) (b: int64[]) -> Expect.sequenceEqual a b $"run {k}: metrics row {i}") rows referenceRows
                Expect.sequenceEqual policy referencePolicy $"run {k}: policy bytes"
                Expect.sequenceEqual reward referenceReward $"run {k}: reward bytes"
    ]
