/// The .npy / .npz formats: byte arrays built by hand from numpy's format specification (numpy.lib.format: magic,
/// version, little-endian header length, the dict repr padded with spaces and '\n' to a multiple of 64 bytes) are read,
/// and what we write equals them byte for byte; archives written the way numpy.savez / savez_compressed write them
/// (Python's zipfile with force_zip64) are read; TransitionDataset round trips, atomic saves, and every bad file gives a
/// TrirlInputException naming the file and the field.
module Trirl.Tests.NpzTests

open System
open System.IO
open System.IO.Compression
open Expecto
open Trirl.Functional
open Trirl.Environments
open Trirl.Environments.Data

let ascii (s: string) = Text.Encoding.ASCII.GetBytes s
let le32 (x: float32) = BitConverter.GetBytes x   // the test machine is little-endian (checked below)

/// A .npy file as numpy 1.x / 2.x writes it when the header fits 128 bytes: "\x93NUMPY", version 1 0, HEADER_LEN =
/// 118 as uint16 LE (0x76 0x00), the dict, spaces, '\n': 10 + 118 = 128 = 2 x 64 bytes before the data.
let npyV1 (dict: string) (data: byte[]) =
    let header = Array.concat [ ascii dict; Array.create (118 - dict.Length - 1) (byte ' '); [| byte '\n' |] ]
    Array.concat [ [| 0x93uy |]; ascii "NUMPY"; [| 1uy; 0uy |]; [| 0x76uy; 0x00uy |]; header; data ]

/// The same array with a version 2.0 (or 3.0) prefix: HEADER_LEN as uint32 LE; 12 + 116 = 128 bytes before the data.
let npyV2 (major: byte) (dict: string) (data: byte[]) =
    let header = Array.concat [ ascii dict; Array.create (116 - dict.Length - 1) (byte ' '); [| byte '\n' |] ]
    Array.concat [ [| 0x93uy |]; ascii "NUMPY"; [| major; 0uy |]; [| 116uy; 0uy; 0uy; 0uy |]; header; data ]

/// float32 1, 2, 3, 4, 5, 6 little-endian.
let oneToSix =
    [| 0x00uy; 0x00uy; 0x80uy; 0x3Fuy; 0x00uy; 0x00uy; 0x00uy; 0x40uy; 0x00uy; 0x00uy; 0x40uy; 0x40uy
       0x00uy; 0x00uy; 0x80uy; 0x40uy; 0x00uy; 0x00uy; 0xA0uy; 0x40uy; 0x00uy; 0x00uy; 0xC0uy; 0x40uy |]

let f4x32 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"

/// A small dataset: 3 transitions, obsDim 2, actDim 1, the last one ends its episode.
let sample () =
    TransitionDataset(2, 1,
        [| 0.5f; -1.25f; 0.75f; 2.0f; 1.0f; 3.5f |], [| 0.25f; -0.5f; 1.5f |],
        [| 0.75f; 2.0f; 1.0f; 3.5f; -0.125f; 0.0625f |], [| -1.0f; -0.5f; 100.0f |], [| false; false; true |])

/// The same dataset as written by Python's zipfile the way numpy.savez (ZIP_STORED) and numpy.savez_compressed
/// (ZIP_DEFLATED) write it: zipf.open(name + '.npy', 'w', force_zip64=True) around numpy's .npy bytes (built with
/// numpy.lib.format's header rules), entries obs, acts, next_obs, rews, dones.
let storedFixture =
    String.concat "" [
        "UEsDBC0AAAAAAIMYIly++JA4//////////8HABQAb2JzLm5weQEAEACYAAAAAAAAAJgAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPGY0Jy"
        "wgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg"
        "ICAgICAgICAgICAgICAgICAgIAoAAAA/AACgvwAAQD8AAABAAACAPwAAYEBQSwMELQAAAAAAgxgiXKqli0P//////////wgAFABhY3RzLm5weQ"
        "EAEACMAAAAAAAAAIwAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMs"
        "IDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA+AAAAvwAAwD9QSwMELQ"
        "AAAAAAgxgiXHLcmOj//////////wwAFABuZXh0X29icy5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcs"
        "ICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCAyKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIC"
        "AgICAgICAgICAgICAgICAgICAKAABAPwAAAEAAAIA/AABgQAAAAL4AAIA9UEsDBC0AAAAAAIMYIlzbEiVg//////////8IABQAcmV3cy5ucHkB"
        "ABAAjAAAAAAAAACMAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLC"
        "ksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAACAvwAAAL8AAMhCUEsDBC0A"
        "AAAAAIMYIlwh+U66//////////8JABQAZG9uZXMubnB5AQAQAIMAAAAAAAAAgwAAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICd8YjEnLCAnZm"
        "9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg"
        "ICAgICAgICAgICAgICAgCgAAAVBLAQItAy0AAAAAAIMYIly++JA4mAAAAJgAAAAHAAAAAAAAAAAAAACAAQAAAABvYnMubnB5UEsBAi0DLQAAAA"
        "AAgxgiXKqli0OMAAAAjAAAAAgAAAAAAAAAAAAAAIAB0QAAAGFjdHMubnB5UEsBAi0DLQAAAAAAgxgiXHLcmOiYAAAAmAAAAAwAAAAAAAAAAAAA"
        "AIABlwEAAG5leHRfb2JzLm5weVBLAQItAy0AAAAAAIMYIlzbEiVgjAAAAIwAAAAIAAAAAAAAAAAAAACAAW0CAAByZXdzLm5weVBLAQItAy0AAA"
        "AAAIMYIlwh+U66gwAAAIMAAAAJAAAAAAAAAAAAAACAATMDAABkb25lcy5ucHlQSwUGAAAAAAUABQASAQAA8QMAAAAA"
    ]

let deflatedFixture =
    String.concat "" [
        "UEsDBC0AAAAIAIMYIly++JA4//////////8HABQAb2JzLm5weQEAEACYAAAAAAAAAFwAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNmoq"
        "6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjoKRpo6CrUKZAMuBgYGewaGBfsZGByANIMDA0MDkE5wAABQSwMELQAAAAgAgxgiXKql"
        "i0P//////////wgAFABhY3RzLm5weQEAEACMAAAAAAAAAFIAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNmoq6joJ6WX1RSlJgXn1+Ukg"
        "oSd0vMKU4FihdnJBakAvkaxjoKhpo6CrUKZAMuBoYGOwYGhv0MDAfsAVBLAwQtAAAACACDGCJcctyY6P//////////DAAUAG5leHRfb2JzLm5w"
        "eQEAEACYAAAAAAAAAFkAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNmoq6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjoKRp"
        "o6CrUKZAMuBgYHewYgwcDQAKQTgDTDPiDbFgBQSwMELQAAAAgAgxgiXNsSJWD//////////wgAFAByZXdzLm5weQEAEACMAAAAAAAAAE8AAAAA"
        "AAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNmoq6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjqaOgq1ChQALgaGhv0MDAxAfMIJAF"
        "BLAwQtAAAACACDGCJcIflOuv//////////CQAUAGRvbmVzLm5weQEAEACDAAAAAAAAAEcAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXpNk"
        "qK6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjqaOgq1ChQALgYGRgBQSwECLQMtAAAACACDGCJcvviQOFwAAACYAAAABwAAAAAAAA"
        "AAAAAAgAEAAAAAb2JzLm5weVBLAQItAy0AAAAIAIMYIlyqpYtDUgAAAIwAAAAIAAAAAAAAAAAAAACAAZUAAABhY3RzLm5weVBLAQItAy0AAAAI"
        "AIMYIlxy3JjoWQAAAJgAAAAMAAAAAAAAAAAAAACAASEBAABuZXh0X29icy5ucHlQSwECLQMtAAAACACDGCJc2xIlYE8AAACMAAAACAAAAAAAAA"
        "AAAAAAgAG4AQAAcmV3cy5ucHlQSwECLQMtAAAACACDGCJcIflOukcAAACDAAAACQAAAAAAAAAAAAAAgAFBAgAAZG9uZXMubnB5UEsFBgAAAAAF"
        "AAUAEgEAAMMCAAAAAA=="
    ]

/// An archive written with System.IO.Compression from raw entries (to build mislabelled files).
let zipOf (compression: CompressionLevel) (entries: (string * byte[]) list) =
    use ms = new MemoryStream()
    do
        use zip = new ZipArchive(ms, ZipArchiveMode.Create, true)
        for name, bytes in entries do
            let e = zip.CreateEntry(name, compression)
            use s = e.Open()
            s.Write(bytes, 0, bytes.Length)
    ms.ToArray()

/// The entries of the sample as .npy bytes, by name.
let sampleEntries () =
    sample().ToNpz().Entries |> Seq.map (fun e -> e.Name + ".npy", Npy.Write e.Array) |> List.ofSeq

let replaceEntry (name: string) (bytes: byte[]) entries =
    entries |> List.map (fun (n, b) -> if n = name then n, bytes else n, b)

/// Writes `bytes` to a fresh file and loads it as a dataset.
let loadBytes (dir: string) (fileName: string) (bytes: byte[]) =
    let path = Path.Combine(dir, fileName)
    File.WriteAllBytes(path, bytes)
    path, (fun () -> TransitionDataset.Load path)

[<Tests>]
let tests =
    testList "Npz" [
        testCase "npy: float32 (3, 2) is written byte for byte as numpy writes it, and read back" <| fun () ->
            Expect.isTrue BitConverter.IsLittleEndian "the hand-built bytes assume a little-endian machine"
            let expected = npyV1 f4x32 oneToSix
            Expect.equal expected.Length (128 + 24) "128 header bytes (a multiple of 64) + 6 x 4 data bytes"
            Expect.equal expected.[127] (byte '\n') "the header ends in a newline"
            let arr = NpyArray.FromFloat32([| 3; 2 |], [| 1.0f; 2.0f; 3.0f; 4.0f; 5.0f; 6.0f |])
            Expect.equal (Npy.HeaderDict arr) f4x32 "numpy's dict, keys sorted"
            Expect.equal (Npy.Write arr) expected "our bytes are numpy's"
            let back = Npy.Read(expected, "hand.npy")
            Expect.equal back.Dtype NpyDtype.Float32 "dtype"
            Expect.equal (back.Shape |> Seq.toList) [ 3; 2 ] "shape"
            Expect.equal (back.ToFloat32() |> Seq.toList) [ 1.0f; 2.0f; 3.0f; 4.0f; 5.0f; 6.0f ] "values, C order"

        testCase "npy: bool, int32, int64 (np.arange(3)), a float64 scalar and an empty (0, 3) array match numpy's bytes" <| fun () ->
            let cases =
                [ NpyArray.FromBool([| 5 |], [| true; false; true; true; false |]),
                  npyV1 "{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }" [| 1uy; 0uy; 1uy; 1uy; 0uy |]
                  NpyArray.FromInt32([| 2; 2 |], [| 1; -1; 256; Int32.MaxValue |]),
                  npyV1 "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }"
                      [| 1uy; 0uy; 0uy; 0uy; 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy; 0uy; 1uy; 0uy; 0uy; 0xFFuy; 0xFFuy; 0xFFuy; 0x7Fuy |]
                  NpyArray.FromInt64([| 3 |], [| 0L; 1L; 2L |]),
                  npyV1 "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"
                      (Array.concat [ BitConverter.GetBytes 0L; BitConverter.GetBytes 1L; BitConverter.GetBytes 2L ])
                  NpyArray.FromFloat64([||], [| 2.5 |]),
                  npyV1 "{'descr': '<f8', 'fortran_order': False, 'shape': (), }" [| 0uy; 0uy; 0uy; 0uy; 0uy; 0uy; 0x04uy; 0x40uy |]
                  NpyArray.FromFloat32([| 0; 3 |], [||]),
                  npyV1 "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }" [||] ]
            for arr, bytes in cases do
                Expect.equal (Npy.Write arr) bytes (sprintf "%A %s written as numpy does" arr.Dtype arr.ShapeText)
                Expect.equal (Npy.Read(bytes, "hand.npy")) arr (sprintf "%A %s read back" arr.Dtype arr.ShapeText)
            Expect.equal (Npy.Read(snd cases.[3], "s.npy").ToFloat64() |> Seq.toList) [ 2.5 ] "0-d value"

        testCase "npy: a long header moves to the next 64-byte block, with numpy's 1..64 spaces of padding" <| fun () ->
            // dict of 97 characters + 20 spaces of growth room + '\n' = 118: 10 + 118 = 128 is already aligned, and
            // numpy still pads a full 64 spaces: HEADER_LEN = 182 (0xB6), 192 bytes before the data.
            let arr = NpyArray.FromFloat32([| 0; 1000000000; 1000000000; 1000000000; 100 |], [||])
            let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1000000000, 1000000000, 1000000000, 100), }"
            Expect.equal dict.Length 97 "dict length"
            let bytes = Npy.Write arr
            Expect.equal bytes.Length 192 "three 64-byte blocks"
            Expect.equal (bytes.[8], bytes.[9]) (0xB6uy, 0uy) "HEADER_LEN = 182"
            Expect.equal bytes.[10 .. 10 + 96] (ascii dict) "the dict"
            Expect.isTrue (bytes.[107 .. 190] |> Array.forall ((=) (byte ' '))) "20 + 64 spaces"
            Expect.equal bytes.[191] (byte '\n') "newline"
            // one more digit: 98 + 20 + 1 = 119, 10 + 119 = 129, 63 spaces of padding, again 192
            let arr2 = NpyArray.FromFloat32([| 0; 1000000000; 1000000000; 1000000000; 1000 |], [||])
            let bytes2 = Npy.Write arr2
            Expect.equal (bytes2.Length, bytes2.[8]) (192, 0xB6uy) "HEADER_LEN = 182 again"
            Expect.equal (Npy.Read(bytes, "a.npy")) arr "read back"
            Expect.equal (Npy.Read(bytes2, "b.npy")) arr2 "read back"

        testCase "npy: version 2.0 and 3.0 headers, Fortran order and Python 2 'L' integers are read" <| fun () ->
            let expected = [ 1.0f; 2.0f; 3.0f; 4.0f; 5.0f; 6.0f ]
            for major in [ 2uy; 3uy ] do
                let bytes = npyV2 major (f4x32 + String(' ', 20)) oneToSix
                Expect.equal ((bytes.Length - 24) % 64) 0 "aligned"
                Expect.equal (Npy.Read(bytes, "v.npy").ToFloat32() |> Seq.toList) expected (sprintf "version %d.0" major)
            // [[1, 2, 3], [4, 5, 6]] stored column by column: 1 4 2 5 3 6
            let fortranData = Array.concat [ for k in [ 0; 3; 1; 4; 2; 5 ] -> oneToSix.[4 * k .. 4 * k + 3] ]
            let f = Npy.Read(npyV1 "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }" fortranData, "f.npy")
            Expect.equal (f.Shape |> Seq.toList) [ 2; 3 ] "shape"
            Expect.equal (f.ToFloat32() |> Seq.toList) expected "reordered to C order"
            let py2 = Npy.Read(npyV1 "{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 2L), }" oneToSix, "py2.npy")
            Expect.equal (py2.Shape |> Seq.toList) [ 3; 2 ] "3L, 2L"

        testCase "npy: every malformed file is a TrirlInputException naming it" <| fun () ->
            let good = npyV1 f4x32 oneToSix
            let read (bytes: byte[]) () = Npy.Read(bytes, "x.npy")
            let withDict (dict: string) = npyV1 dict oneToSix
            let cases =
                [ "bad magic", (let b = Array.copy good in b.[5] <- byte 'Z'; b), [ "magic" ]
                  "too short", good.[.. 4], [ "too short" ]
                  "version 4.0", (let b = Array.copy good in b.[6] <- 4uy; b), [ "version 4.0" ]
                  "header cut", good.[.. 60], [ "truncated inside the header" ]
                  "header not a dict", withDict "[1, 2, 3]", [ "not a dict" ]
                  "header not a literal", withDict "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), ", [ "not a Python literal" ]
                  "missing shape", withDict "{'descr': '<f4', 'fortran_order': False, }", [ "without the key 'shape'" ]
                  "extra key", withDict "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), 'x': 1, }", [ "unexpected key 'x'" ]
                  "shape not ints", withDict "{'descr': '<f4', 'fortran_order': False, 'shape': ('a', 2), }", [ "not a tuple of integers" ]
                  "shape a list", withDict "{'descr': '<f4', 'fortran_order': False, 'shape': [3, 2], }", [ "not a tuple of integers" ]
                  "negative dim", withDict "{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 2), }", [ "negative dimension" ]
                  "fortran not bool", withDict "{'descr': '<f4', 'fortran_order': 0, 'shape': (3, 2), }", [ "fortran_order" ]
                  "float16", withDict "{'descr': '<f2', 'fortran_order': False, 'shape': (3, 4), }", [ "dtype '<f2'" ]
                  "big-endian", withDict "{'descr': '>f4', 'fortran_order': False, 'shape': (3, 2), }", [ "big-endian" ]
                  "structured", withDict "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (3, 2), }", [ "structured" ]
                  "data cut", good.[.. good.Length - 2], [ "truncated"; "needs 24 data bytes, the file has 23" ]
                  "data too long", Array.append good [| 0uy; 0uy; 0uy; 0uy |], [ "28 data bytes"; "needs 24" ]
                  "shape lies", withDict "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", [ "truncated" ]
                  "huge shape", withDict "{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 4000000000), }", [ "too large" ]
                  "bool byte 2", npyV1 "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }" [| 1uy; 2uy |], [ "bool" ] ]
            for name, bytes, fragments in cases do
                try
                    expectInputError "x.npy" fragments (read bytes) |> ignore
                with e -> failtestf "%s: %s" name e.Message

        testCase "npz: numpy's stored and compressed archives (zip64 local headers) are read" <| fun () ->
            for name, b64 in [ "stored", storedFixture; "deflated", deflatedFixture ] do
                let bytes = Convert.FromBase64String b64
                let npz = Npz.Read(bytes, name + ".npz")
                Expect.equal (npz.Names |> Seq.toList) [ "obs"; "acts"; "next_obs"; "rews"; "dones" ] (name + ": entries")
                let ds = TransitionDataset.FromNpz(npz, name + ".npz")
                Expect.equal ds (sample ()) (name + ": the dataset")
                // the .npy payloads are exactly what we write
                for e in npz.Entries do
                    Expect.equal (Npy.Write e.Array) (Npy.Write(sample().ToNpz().[e.Name])) (name + ": " + e.Name)

        testCase "npz: TransitionDataset round trips, stored (method 0) and deflated (method 8)" <| fun () ->
            let ds = sample ()
            for compression, methodId in [ NpzCompression.Stored, 0us; NpzCompression.Deflated, 8us ] do
                let bytes = ds.ToBytes compression
                Expect.equal (bytes.[0 .. 3]) [| 0x50uy; 0x4Buy; 0x03uy; 0x04uy |] "a zip local file header PK\\3\\4"
                Expect.equal (BitConverter.ToUInt16(bytes, 8)) methodId (sprintf "%A: compression method" compression)
                let back = TransitionDataset.FromNpz(Npz.Read(bytes, "mem.npz"), "mem.npz")
                Expect.equal back ds (sprintf "%A round trip" compression)
                Expect.equal (back.Obs |> Seq.toList) (ds.Obs |> Seq.toList) "obs"
                Expect.equal (back.Dones |> Seq.toList) [ false; false; true ] "dones"
                Expect.equal (ds.ToBytes compression) bytes "writing is deterministic (fixed timestamps)"
            // stored entries hold numpy's .npy bytes verbatim
            let stored = ds.ToBytes NpzCompression.Stored
            let obsNpy = Npy.Write(ds.ToNpz().["obs"])
            let found = Seq.windowed obsNpy.Length stored |> Seq.exists (fun w -> w = obsNpy)
            Expect.isTrue found "obs.npy appears verbatim in the stored archive"
            use zip = new ZipArchive(new MemoryStream(stored), ZipArchiveMode.Read)
            Expect.equal [ for e in zip.Entries -> e.FullName ] [ "obs.npy"; "acts.npy"; "next_obs.npy"; "rews.npy"; "dones.npy" ] "entry names"
            Expect.isLessThan (ds.ToBytes(NpzCompression.Deflated).Length) stored.Length "deflated is smaller"

        testCase "npz: the compact form (final_obs instead of next_obs) reads back to the same dataset; a broken chain is refused" <| fun () ->
            // Two episodes of a pendulum rollout: next_obs equals the next obs within an episode.
            let env = ContinuousEnvs.Create "pendulum"
            let mutable state = env.Reset(1, 3L)
            let obs, acts, next, rews, dones = ResizeArray(), ResizeArray(), ResizeArray(), ResizeArray(), ResizeArray()
            for t in 0 .. 11 do
                let o = env.Observe state |> Seq.toArray
                let a = [| float32 (sin (float t)) |]
                let r = env.Step(state, a)
                let ended = t = 4 || t = 11
                obs.AddRange o
                acts.AddRange a
                next.AddRange(r.ObservationOf 0)
                rews.Add(float32 r.Rewards.[0])
                dones.Add ended
                state <- if ended then env.Reset(1, int64 t) else r.Next
            let ds = TransitionDataset(3, 1, obs, acts, next, rews, dones)
            let compact = ds.ToCompactNpz()
            Expect.equal (List.ofSeq compact.Names) [ "obs"; "acts"; "final_obs"; "rews"; "dones" ] "fields"
            Expect.equal (List.ofSeq compact.["final_obs"].Shape) [ 2; 3 ] "one final observation per episode"
            let back = TransitionDataset.FromNpz(Npz.Read(Npz.Write(compact, NpzCompression.Deflated), "c.npz"), "c.npz")
            Expect.equal back ds "same dataset, bit for bit"
            let broken = next.ToArray()
            broken.[3] <- broken.[3] + 1.0f
            expectInputError "dataset" [ "transition 1 is not done" ] (fun () -> TransitionDataset(3, 1, obs, acts, broken, rews, dones).ToCompactNpz()) |> ignore
            let noEnd = dones.ToArray()
            noEnd.[11] <- false
            expectInputError "dataset" [ "does not end with a finished episode" ] (fun () -> TransitionDataset(3, 1, obs, acts, next, rews, noEnd).ToCompactNpz()) |> ignore

        testCase "npz: generic archives of every dtype round trip; names are checked" <| fun () ->
            let npz =
                NpzArchive(
                    [| NpzEntry("a", NpyArray.FromFloat64([| 2 |], [| Math.PI; -0.0 |]))
                       NpzEntry("b", NpyArray.FromInt64([| 1; 2 |], [| Int64.MinValue; Int64.MaxValue |]))
                       NpzEntry("c", NpyArray.FromInt32([||], [| 7 |]))
                       NpzEntry("d", NpyArray.FromBool([| 0 |], [||])) |])
            for c in [ NpzCompression.Stored; NpzCompression.Deflated ] do
                Expect.equal (Npz.Read(Npz.Write(npz, c), "g.npz")) npz (sprintf "%A" c)
            expectInputError "entries[1]" [ "repeats the name 'a'" ] (fun () -> NpzArchive([| NpzEntry("a", npz.["a"]); NpzEntry("a", npz.["b"]) |])) |> ignore
            expectInputError "entries[0]" [ "not usable" ] (fun () -> NpzArchive([| NpzEntry("x/y", npz.["a"]) |])) |> ignore
            expectInputError "zz" [ "not in the archive"; "a, b, c, d" ] (fun () -> npz.["zz"]) |> ignore
            expectInputError "array" [ "dtype <f8, expected <f4" ] (fun () -> npz.["a"].ToFloat32()) |> ignore

        testCase "TransitionDataset: Save is atomic (temp file + rename, overwrites, no leftovers) and Load reads it" <| fun () ->
            let dir = freshTempDir "trirl-npz"
            try
                let path = Path.Combine(dir, "sub", "demo.npz")
                let ds = sample ()
                ds.Save path
                Expect.equal (TransitionDataset.Load path) ds "stored"
                ds.Save(path, NpzCompression.Deflated)
                Expect.equal (TransitionDataset.Load path) ds "overwritten, deflated"
                Expect.equal (Directory.GetFiles(Path.Combine(dir, "sub")) |> Array.map Path.GetFileName) [| "demo.npz" |] "no temporary files left"
            finally
                Directory.Delete(dir, true)

        testCase "TransitionDataset: the constructor checks sizes and values" <| fun () ->
            let o = [| 0.0f; 0.0f |]
            expectInputError "obs" [ "has 2 values but shape [2, 2] needs 4" ] (fun () -> TransitionDataset(2, 1, o, [| 0.0f; 0.0f |], [| 0.0f; 0.0f; 0.0f; 0.0f |], [| 0.0f; 0.0f |], [| false; true |])) |> ignore
            expectInputError "acts" [ "needs 1" ] (fun () -> TransitionDataset(2, 1, o, [||], o, [| 0.0f |], [| true |])) |> ignore
            expectInputError "dones" [ "has 2 entries but rews has 1" ] (fun () -> TransitionDataset(2, 1, o, [| 0.0f |], o, [| 0.0f |], [| true; false |])) |> ignore
            expectInputError "next_obs" [ "NaN" ] (fun () -> TransitionDataset(2, 1, o, [| 0.0f |], [| 0.0f; Single.NaN |], [| 0.0f |], [| true |])) |> ignore
            expectInputError "rews" [ "is empty" ] (fun () -> TransitionDataset(2, 1, [||], [||], [||], [||], [||])) |> ignore
            expectInputError "observationSize" [ ">= 1" ] (fun () -> TransitionDataset(0, 1, o, [| 0.0f |], o, [| 0.0f |], [| true |])) |> ignore

        testCase "TransitionDataset.Load: every bad file names the file and the field" <| fun () ->
            let dir = freshTempDir "trirl-npz-bad"
            try
                let good = sample().ToBytes NpzCompression.Stored
                let entries = sampleEntries ()
                let f64 (xs: float list) = Npy.Write(NpyArray.FromFloat64([| xs.Length |], Array.ofList xs))
                let cases =
                    [ "missing.npz", None, "", [ "does not exist" ]
                      "empty.npz", Some [||], "", [ "not a readable .npz" ]
                      "text.npz", Some(ascii "obs,acts\n1,2\n"), "", [ "not a readable .npz" ]
                      "plain.npy.npz", Some(Npy.Write(sample().ToNpz().["obs"])), "", [ "not a readable .npz" ]
                      "half.npz", Some good.[.. good.Length / 2], "", [ "not a readable .npz" ]
                      "nodones.npz", Some(zipOf CompressionLevel.NoCompression (entries |> List.filter (fun (n, _) -> n <> "dones.npy"))), "dones",
                      [ "is missing"; "obs, acts, next_obs, rews" ]
                      "rews64.npz", Some(zipOf CompressionLevel.NoCompression (replaceEntry "rews.npy" (f64 [ 1.0; 2.0; 3.0 ]) entries)), "rews",
                      [ "dtype <f8, expected <f4"; "astype" ]
                      "donesf4.npz",
                      Some(zipOf CompressionLevel.NoCompression (replaceEntry "dones.npy" (Npy.Write(NpyArray.FromFloat32([| 3 |], [| 0.0f; 0.0f; 1.0f |]))) entries)),
                      "dones", [ "dtype <f4, expected |b1" ]
                      "acts2rows.npz",
                      Some(zipOf CompressionLevel.NoCompression (replaceEntry "acts.npy" (Npy.Write(NpyArray.FromFloat32([| 2; 1 |], [| 0.0f; 0.0f |]))) entries)),
                      "acts", [ "has 2 rows"; "rews has 3" ]
                      "nextobs3.npz",
                      Some(zipOf CompressionLevel.NoCompression (replaceEntry "next_obs.npy" (Npy.Write(NpyArray.FromFloat32([| 3; 3 |], Array.zeroCreate 9))) entries)),
                      "next_obs", [ "(3, 3)"; "obs has (3, 2)" ]
                      "rews2d.npz",
                      Some(zipOf CompressionLevel.NoCompression (replaceEntry "rews.npy" (Npy.Write(NpyArray.FromFloat32([| 3; 1 |], Array.zeroCreate 3))) entries)),
                      "rews", [ "shape (3, 1), expected [n]" ]
                      "obsnpycut.npz", Some(zipOf CompressionLevel.NoCompression (replaceEntry "obs.npy" (Npy.Write(sample().ToNpz().["obs"])).[.. 140] entries)), "obs.npy",
                      [ "truncated" ]
                      "badmagic.npz", Some(zipOf CompressionLevel.Optimal (replaceEntry "acts.npy" (ascii "NUMPY? no") entries)), "acts.npy", [ "magic" ] ]
                for fileName, bytes, field, fragments in cases do
                    let path = Path.Combine(dir, fileName)
                    bytes |> Option.iter (fun b -> File.WriteAllBytes(path, b))
                    let expectedField = if field = "" then path else path + ": " + field
                    try
                        expectInputError expectedField fragments (fun () -> TransitionDataset.Load path) |> ignore
                    with e -> failtestf "%s: %s" fileName e.Message
                // a stored entry with one data byte changed: its CRC-32 no longer matches
                let obsNpy = Npy.Write(sample().ToNpz().["obs"])
                let at = Seq.windowed obsNpy.Length good |> Seq.findIndex (fun w -> w = obsNpy)
                let flipped = Array.copy good
                flipped.[at + obsNpy.Length - 1] <- flipped.[at + obsNpy.Length - 1] ^^^ 1uy
                let flippedPath = Path.Combine(dir, "flipped.npz")
                File.WriteAllBytes(flippedPath, flipped)
                expectInputError (flippedPath + ": obs.npy") [ "is corrupt"; "CRC-32" ] (fun () -> TransitionDataset.Load flippedPath) |> ignore
                // a deflated entry whose compressed bytes are damaged
                let deflated = sample().ToBytes NpzCompression.Deflated
                let damaged = Array.copy deflated
                for k in 60 .. 80 do damaged.[k] <- damaged.[k] ^^^ 0x5Auy
                let path = Path.Combine(dir, "damaged.npz")
                File.WriteAllBytes(path, damaged)
                Expect.throwsT<TrirlInputException> (fun () -> TransitionDataset.Load path |> ignore) "damaged deflate stream"
            finally
                Directory.Delete(dir, true)

        testCase "npz: every truncation and every flipped byte of a small archive is read unchanged or refused with a TrirlInputException" <| fun () ->
            for compression in [ NpzCompression.Stored; NpzCompression.Deflated ] do
                let good = sample().ToBytes compression
                let check (label: string) (bytes: byte[]) =
                    try
                        let ds = TransitionDataset.FromNpz(Npz.Read(bytes, "f.npz"), "f.npz")
                        // bytes that do not matter (timestamps, attributes) may change; data never changes silently
                        if ds <> sample () then failtestf "%A %s: read different data without an error" compression label
                    with
                    | :? TrirlInputException as e -> Expect.stringStarts e.Field "f.npz" (label + ": the field names the file")
                    | e -> failtestf "%A %s: %s %s" compression label (e.GetType().Name) e.Message
                for len in 0 .. good.Length - 1 do
                    check (sprintf "cut at %d" len) good.[.. len - 1]
                for k in 0 .. good.Length - 1 do
                    let b = Array.copy good
                    b.[k] <- b.[k] ^^^ 0xFFuy
                    check (sprintf "byte %d flipped" k) b
    ]
