/// JSON round trips: MdpJson.Serialize then Parse gives the same MDP bit for bit; RewardJson likewise; the
/// reference mdp.json parses to the expected sizes.
module Trirl.Tests.JsonTests

open System
open Expecto
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Functional.Environments

let expectSameMdp (a: TabularMdp) (b: TabularMdp) =
    Expect.equal b.Name a.Name "name"
    Expect.equal (b.States, b.Actions) (a.States, a.Actions) "shape"
    Expect.isTrue (sameBits a.Gamma b.Gamma) "gamma bitwise"
    Expect.isTrue (sameBitsArray (Seq.toArray a.Initial) (Seq.toArray b.Initial)) "p0 bitwise"
    Expect.equal (Seq.toArray b.RowStart) (Seq.toArray a.RowStart) "CSR offsets"
    Expect.equal (Seq.toArray b.Next) (Seq.toArray a.Next) "CSR next states"
    Expect.isTrue (sameBitsArray (Seq.toArray a.Probability) (Seq.toArray b.Probability)) "CSR probabilities bitwise"
    match a.Reward, b.Reward with
    | null, null -> ()
    | null, _
    | _, null -> failtest "one MDP has a reward and the other has none"
    | ra, rb ->
        Expect.equal (rb.States, rb.Actions) (ra.States, ra.Actions) "reward shape"
        Expect.isTrue (sameBitsArray (flat ra) (flat rb)) "reward bitwise"

/// Finite doubles of every magnitude (random bit patterns), the awkward cases of text round trips.
let genFiniteDouble =
    Gen.choose64 (Int64.MinValue, Int64.MaxValue)
    |> Gen.map BitConverter.Int64BitsToDouble
    |> Gen.filter Double.IsFinite

[<Tests>]
let tests =
    testList "Json" [
        testCase "AtomicFile: a regular file is replaced whole; a FIFO is written in place and stays a FIFO (as /dev/null must)" <| fun () ->
            let dir = IO.Path.Combine(IO.Path.GetTempPath(), "trirl-atomic-" + Guid.NewGuid().ToString("N"))
            IO.Directory.CreateDirectory dir |> ignore
            let run (info: Diagnostics.ProcessStartInfo) =
                match Diagnostics.Process.Start info with
                | null -> failwithf "could not start %s" info.FileName
                | p ->
                    use p = p
                    let text = if info.RedirectStandardOutput then p.StandardOutput.ReadToEnd().Trim() else ""
                    p.WaitForExit()
                    text
            let fileType (path: string) = run (Diagnostics.ProcessStartInfo("stat", [| "-c"; "%F"; path |], RedirectStandardOutput = true))
            let plain = IO.Path.Combine(dir, "plain.txt")
            AtomicFile.WriteAllText(plain, "old text, longer than the new")
            AtomicFile.WriteAllText(plain, "new")
            Expect.equal (IO.File.ReadAllText plain) "new" "replaced whole"
            Expect.equal (IO.Directory.GetFiles dir |> Array.map IO.Path.GetFileName) [| "plain.txt" |] "no temporary file left"
            if OperatingSystem.IsLinux() then
                let fifo = IO.Path.Combine(dir, "pipe")
                run (Diagnostics.ProcessStartInfo("mkfifo", [| fifo |])) |> ignore
                Expect.equal (fileType fifo) "fifo" "made a FIFO"
                // The reader blocks until the writer opens the FIFO; a rename over it would never feed the reader.
                let reader = Threading.Tasks.Task.Run(fun () -> IO.File.ReadAllText fifo)
                AtomicFile.WriteAllText(fifo, "through the pipe")
                Expect.isTrue (reader.Wait(TimeSpan.FromSeconds 30.0)) "the reader got its end of file"
                Expect.equal reader.Result "through the pipe" "the bytes went through the FIFO"
                Expect.equal (fileType fifo) "fifo" "still a FIFO, not replaced by a plain file"
            IO.Directory.Delete(dir, true)

        property 30 "MdpJson: Serialize then Parse gives the same Garnet (CSR, gamma, p0, reward bitwise)" genGarnetSpec (fun spec ->
            let mdp = spec.Create()
            expectSameMdp mdp (MdpJson.Parse(MdpJson.Serialize mdp)))

        property 30 "MdpJson: round trip of random rewards with arbitrary finite doubles"
            (Gen.zip genGarnetSpec (Gen.arrayOfLength 48 genFiniteDouble))
            (fun (spec, values) ->
                let garnet = spec.Create()
                let mdp = garnet.WithReward(StateActionTable.FromFlat(garnet.States, garnet.Actions, values.[0 .. garnet.States * garnet.Actions - 1]))
                expectSameMdp mdp (MdpJson.Parse(MdpJson.Serialize mdp)))

        testCase "MdpJson: gridworld, cliff, a name with quotes and unicode, and an MDP without reward" <| fun () ->
            for mdp in [ Gridworld.Create(5, 0.1, seed = 3L); CliffWalk.Create(0.1); (Gridworld.Create(3, 1.0 / 3.0)).WithName("grid \"quoted\" ünïcode \\ /") ] do
                expectSameMdp mdp (MdpJson.Parse(MdpJson.Serialize mdp))
            let bare = Garnet.Create(6, 2, 3, 1L).WithReward(null)
            let back = MdpJson.Parse(MdpJson.Serialize bare)
            Expect.isFalse back.HasReward "no reward stays no reward"
            expectSameMdp bare back
            Expect.isFalse ((MdpJson.Serialize bare).Contains "\"reward\"") "no reward field is written"

        testCase "MdpJson: Load reads what Serialize wrote" <| fun () ->
            let dir = freshTempDir "trirl-json"
            let path = IO.Path.Combine(dir, "m.json")
            let mdp = Garnet.Create(7, 3, 2, 9L)
            IO.File.WriteAllText(path, MdpJson.Serialize mdp)
            expectSameMdp mdp (MdpJson.Load path)
            expectSameMdp mdp (TabularEnvs.Parse("file:" + path, 0L)).Mdp
            IO.Directory.Delete(dir, true)

        testCase "MdpJson: Load reads the file's bytes as Parse reads its text (a BOM, a bad entry named by its path)" <| fun () ->
            let dir = freshTempDir "trirl-json"
            let path = IO.Path.Combine(dir, "m.json")
            let mdp = Gridworld.Create(4, 0.2, seed = 5L)
            // UTF8Encoding(true) writes the byte-order mark that editors on Windows add.
            IO.File.WriteAllText(path, MdpJson.Serialize mdp, Text.UTF8Encoding(true))
            Expect.equal (IO.File.ReadAllBytes path).[0 .. 2] [| 0xEFuy; 0xBBuy; 0xBFuy |] "the file starts with a BOM"
            expectSameMdp mdp (MdpJson.Load path)
            // Entries off the fast path: each error names the entry's JSON path, as Parse does.
            for entry, field in [ "[1, \"x\"]", "transitions[0][1][0][1]"; "[1.5, 1.0]", "transitions[0][1][0][0]"; "[1, 0.5, 0.5]", "transitions[0][1][0]"; "{}", "transitions[0][1][0]" ] do
                let json = "{\"gamma\": 0.9, \"initial\": [1, 0], \"transitions\": [[[[0, 1.0]], [" + entry + "]], [[[1, 1.0]], [[1, 1.0]]]]}"
                IO.File.WriteAllText(path, json)
                let fromFile = expectInputError field [] (fun () -> MdpJson.Load path)
                let fromText = expectInputError field [] (fun () -> MdpJson.Parse json)
                Expect.equal (fromFile.Problem, fromFile.Fix) (fromText.Problem, fromText.Fix) $"Load and Parse say the same of {entry}"
            IO.Directory.Delete(dir, true)

        property 30 "RewardJson: Serialize then Parse gives the same learned reward (bitwise)"
            (Gen.zip (Gen.zip (Gen.choose (1, 12)) (Gen.choose (1, 4))) (Gen.zip (Gen.arrayOfLength 48 genFiniteDouble) (Gen.zip genFiniteDouble (Gen.choose (0, 100000)))))
            (fun ((states, actions), (values, (beta, iteration))) ->
                let table = StateActionTable.FromFlat(states, actions, values.[0 .. states * actions - 1])
                let learned = LearnedReward("mdp \"x\" é", "trirl", beta, iteration, table)
                let back = RewardJson.Parse(RewardJson.Serialize learned)
                Expect.equal back.Mdp learned.Mdp "mdp"
                Expect.equal back.Algorithm learned.Algorithm "algorithm"
                Expect.isTrue (sameBits back.Beta beta) "beta bitwise"
                Expect.equal back.Iteration iteration "iteration"
                Expect.equal (back.Reward.States, back.Reward.Actions) (states, actions) "shape"
                Expect.isTrue (sameBitsArray (flat back.Reward) (flat table)) "reward bitwise")

        testCase "RewardJson: the written document has the documented fields" <| fun () ->
            let text = RewardJson.Serialize(LearnedReward("g", "mce", 2.0, 7, StateActionTable.FromFlat(2, 2, [| 0.5; -1.0; 0.0; 3.25 |])))
            use doc = Text.Json.JsonDocument.Parse text
            let root = doc.RootElement
            Expect.equal (root.GetProperty("mdp").GetString()) "g" "mdp"
            Expect.equal (root.GetProperty("algorithm").GetString()) "mce" "algorithm"
            Expect.equal (root.GetProperty("beta").GetDouble()) 2.0 "beta"
            Expect.equal (root.GetProperty("iteration").GetInt32()) 7 "iteration"
            Expect.equal (root.GetProperty("states").GetInt32()) 2 "states"
            Expect.equal (root.GetProperty("actions").GetInt32()) 2 "actions"
            Expect.equal (root.GetProperty("reward").[1].[1].GetDouble()) 3.25 "reward[1][1]"

        testCase "the reference mdp.json parses: S = 16, A = 4, gamma = 0.9, and round-trips" <| fun () ->
            let mdp = MdpJson.Load(IO.Path.Combine(referenceDir (), "mdp.json"))
            Expect.equal mdp.States 16 "S"
            Expect.equal mdp.Actions 4 "A"
            Expect.equal mdp.Gamma 0.9 "gamma"
            expectSameMdp mdp (MdpJson.Parse(MdpJson.Serialize mdp))
    ]
