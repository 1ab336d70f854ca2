/// The discriminator's history of past rollouts (PolicyHistory, ImitationSettings.DiscHistorySize): a reservoir that
/// keeps a uniform sample of every row offered, the policy side it mixes half and half, its checkpoint section, and
/// the settings' validation and JSON (absent when 0, so settings without it keep their bytes).
module Trirl.Tests.PolicyHistoryTests

open System.IO
open Expecto
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Deep

/// Rows 0..n-1 of `width` floats, row i holding i in every entry (so a kept row names the row it came from).
let private rows (first: int) (n: int) (width: int) = Array.init (n * width) (fun k -> float32 (first + k / width))

/// The offered row ids the history keeps now.
let private kept (h: PolicyHistory) = [ for i in 0 .. h.Count - 1 -> int (h.Row(i).[0]) ]

let private genCase =
    gen {
        let! capacity = Gen.choose (1, 40)
        let! width = Gen.choose (1, 4)
        let! batches = Gen.listOfLength 6 (Gen.choose (0, 30))
        let! seed = Gen.choose (0, 1_000_000)
        return capacity, width, batches, seed
    }

let private offer (h: PolicyHistory) (batches: int list) (seed: int) =
    let mutable first = 0
    batches |> List.iteri (fun b n ->
        h.Add(rows first n h.Width, n, RunStreams.For(int64 seed, 37L, int64 b))
        first <- first + n)
    first

[<Tests>]
let tests =
    testList "PolicyHistory" [
        property 100 "the reservoir: Count = min(seen, capacity), distinct offered rows, in order while it has room, and whole rows" genCase <| fun (capacity, width, batches, seed) ->
            let h = PolicyHistory(capacity, width)
            let total = offer h batches seed
            Expect.equal h.Seen (int64 total) "every row counted"
            Expect.equal h.Count (min total capacity) "Count"
            let ids = kept h
            Expect.equal (List.distinct ids).Length ids.Length "no row kept twice"
            Expect.isTrue (ids |> List.forall (fun i -> i >= 0 && i < total)) "only offered rows"
            if total <= capacity then Expect.equal ids [ 0 .. total - 1 ] "all rows, in order"
            for i in 0 .. h.Count - 1 do
                let r = h.Row(i).ToArray()
                Expect.isTrue (r |> Array.forall (fun v -> v = r.[0])) "a row is copied whole"

        testCase "uniform over every row offered: 1,000 rows into 100 slots, 2,000 seeds; each row kept 200 +- 67 times (5 sd)" <| fun () ->
            let counts = Array.zeroCreate 1000
            for seed in 0 .. 1999 do
                let h = PolicyHistory(100, 1)
                // Ten rollouts of 100 rows: early rollouts must stay as likely as late ones.
                for b in 0 .. 9 do h.Add(rows (b * 100) 100 1, 100, RunStreams.For(int64 seed, 37L, int64 b))
                for i in kept h do counts.[i] <- counts.[i] + 1
            let worst = counts |> Array.map (fun c -> abs (c - 200)) |> Array.max
            Expect.isLessThanOrEqual worst 67 (sprintf "largest deviation from 200: %d" worst)
            let early = Array.sum counts.[0..99]
            let late = Array.sum counts.[900..999]
            Expect.isLessThan (abs (early - late)) 900 (sprintf "first rollout %d, last %d (each 20,000 expected; sd of the difference about 180)" early late)

        testCase "the mixed policy side: the current rows while the history is empty; then each row is its own or a kept one, about half each" <| fun () ->
            let h = PolicyHistory(50, 3)
            let current = rows 1000 400 3
            Expect.equal (h.Mix(current, 400, Rng 1UL)) current "empty history: the current rows"
            h.Add(rows 0 50 3, 50, Rng 2UL)
            let mixed = h.Mix(current, 400, Rng 3UL)
            Expect.equal mixed.Length current.Length "as many rows"
            let ids = [ for i in 0 .. 399 -> int mixed.[i * 3] ]
            ids |> List.iteri (fun i id -> Expect.isTrue (id = 1000 + i || (id >= 0 && id < 50)) (sprintf "row %d is its own or a kept one: %d" i id))
            let old = ids |> List.filter (fun id -> id < 50) |> List.length
            // Binomial(400, 1/2): sd 10; 5 sd either side.
            Expect.isTrue (old > 150 && old < 250) (sprintf "%d of 400 rows from the history" old)
            Expect.equal (h.Mix(current, 400, Rng 3UL)) mixed "the same draws give the same rows"
            Expect.equal (Array.sub current 0 6) (rows 1000 2 3) "the current rows are not written"

        testCase "checkpoint section: saved and loaded it continues identically; another capacity or width is refused" <| fun () ->
            let h = PolicyHistory(20, 2)
            offer h [ 7; 13; 9 ] 5 |> ignore
            use ms = new MemoryStream()
            (use w = new BinaryWriter(ms, System.Text.Encoding.UTF8, true) in h.Save w)
            let bytes = ms.ToArray()
            let load (capacity, width) =
                let back = PolicyHistory(capacity, width)
                use r = new BinaryReader(new MemoryStream(bytes))
                back.Load r
                back
            let back = load (20, 2)
            Expect.equal back.Seen h.Seen "counter"
            Expect.equal (kept back) (kept h) "rows"
            h.Add(rows 100 10 2, 10, Rng 9UL)
            back.Add(rows 100 10 2, 10, Rng 9UL)
            Expect.equal (kept back) (kept h) "the same rows after the next rollout"
            for bad in [ (21, 2); (20, 3) ] do
                Expect.throwsT<InvalidDataException> (fun () -> load bad |> ignore) (sprintf "%A refused" bad)

        testCase "settings: off by default and absent from JSON; negative or with airl refused, naming the field; a size round-trips" <| fun () ->
            let trirl = ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Tiny)
            Expect.equal trirl.DiscHistorySize 0 "off by default"
            Expect.isFalse ((SettingsJson.Serialize trirl).Contains "disc_history_size") "absent when 0"
            expectInputError "imitation.disc_history_size" [ ">= 0" ] (fun () -> (trirl.WithDiscHistorySize -1).Validated()) |> ignore
            let airl = ImitationSettings.Preset(ImitationMethod.Airl, RlPreset.Tiny).WithDiscHistorySize 100
            expectInputError "imitation.disc_history_size" [ "airl" ] (fun () -> airl.Validated()) |> ignore
            let gail = ImitationSettings.Preset(ImitationMethod.Gail, RlPreset.Tiny).WithDiscHistorySize 100
            Expect.equal (gail.Validated() :?> ImitationSettings).DiscHistorySize 100 "gail accepts a history"
            let text = SettingsJson.Serialize(trirl.WithDiscHistorySize 5000)
            Expect.stringContains text "\"disc_history_size\":5000" "written when set"
            let back = SettingsJson.ReadSettings(System.Text.Json.JsonDocument.Parse(text).RootElement) :?> ImitationSettings
            Expect.equal back (trirl.WithDiscHistorySize 5000) "round trip"
    ]
