/// An audit of the library's compiled code for TorchSharp 0.107's implicit Scalars (TorchScalarTests says why they kill
/// long runs at random): every call the library's assemblies make into TorchSharp is followed through TorchSharp's own
/// IL (calls, and delegates made with ldftn), and none may reach a conversion of a number to a Scalar
/// (`Scalar.op_Implicit`, `ToScalar`) that the library did not make and keep itself. A GAIL halfcheetah run died in
/// ObservationNormalizer's `var + 1e-8` (TorchSharp's `Tensor + double`), which the stress tests never reached; this
/// audit finds such a call without running it. Calls reached only through a virtual `forward` of a TorchSharp module
/// inside a container are not followed (the library builds its networks from Linear and its own activation modules).
module Trirl.Tests.ScalarAuditTests

open System
open System.Collections.Generic
open System.IO
open System.Reflection
open System.Reflection.Emit
open System.Reflection.Metadata
open System.Reflection.Metadata.Ecma335
open System.Reflection.PortableExecutable
open Expecto

/// Simple type names for decoded signatures: enough to tell overloads apart.
type private Names() =
    interface ISignatureTypeProvider<string, unit> with
        member _.GetPrimitiveType(code) = string code
        member _.GetTypeFromDefinition(r, h, _) = r.GetString((r.GetTypeDefinition h).Name)
        member _.GetTypeFromReference(r, h, _) = r.GetString((r.GetTypeReference h).Name)
        member _.GetTypeFromSpecification(r, c, h, _) = (r.GetTypeSpecification h).DecodeSignature(Names(), c)
        member _.GetSZArrayType(e) = e + "[]"
        member _.GetArrayType(e, _) = e + "[,]"
        member _.GetByReferenceType(e) = e + "&"
        member _.GetPointerType(e) = e + "*"
        member _.GetGenericInstantiation(g, args) = g + "<" + String.Join(",", args) + ">"
        member _.GetGenericTypeParameter(_, i) = "!" + string i
        member _.GetGenericMethodParameter(_, i) = "!!" + string i
        member _.GetFunctionPointerType(_) = "fnptr"
        member _.GetModifiedType(_, unmodified, _) = unmodified
        member _.GetPinnedType(e) = e

/// The operand size of each IL opcode, from System.Reflection.Emit's table (ECMA-335, partition III).
let private operandSizes =
    let table = Dictionary<uint16, OperandType>()
    for f in typeof<OpCodes>.GetFields(BindingFlags.Public ||| BindingFlags.Static) do
        let op = f.GetValue(null) :?> OpCode
        table.[uint16 op.Value] <- op.OperandType
    table

/// The members one method body calls or takes as a delegate (call, callvirt, newobj, ldftn, ldvirtftn), as tokens.
let private calledTokens (body: MethodBodyBlock) =
    let mutable r = body.GetILReader()
    [ while r.RemainingBytes > 0 do
        let first = r.ReadByte()
        let code = if first = 0xFEuy then 0xFE00us ||| uint16 (r.ReadByte()) else uint16 first
        match operandSizes.TryGetValue code with
        | false, _ -> failwithf "unknown IL opcode 0x%X at offset %d" code r.Offset
        | true, kind ->
            match kind with
            | OperandType.InlineMethod ->
                let token = r.ReadInt32()
                if code = uint16 OpCodes.Call.Value || code = uint16 OpCodes.Callvirt.Value || code = uint16 OpCodes.Newobj.Value
                   || code = uint16 OpCodes.Ldftn.Value || code = uint16 OpCodes.Ldvirtftn.Value then
                    yield token
            | OperandType.InlineNone -> ()
            | OperandType.ShortInlineBrTarget | OperandType.ShortInlineI | OperandType.ShortInlineVar -> r.Offset <- r.Offset + 1
            | OperandType.InlineVar -> r.Offset <- r.Offset + 2
            | OperandType.InlineI8 | OperandType.InlineR -> r.Offset <- r.Offset + 8
            | OperandType.InlineSwitch -> let n = r.ReadInt32() in r.Offset <- r.Offset + 4 * n
            | _ -> r.Offset <- r.Offset + 4 ]

/// One assembly's methods: its own ("Type::name(params)") with the members each calls, and the name of a called member.
type private ILAssembly(path: string) =
    let pe = new PEReader(File.OpenRead path)
    let md = pe.GetMetadataReader()
    let rec typeName (h: EntityHandle) =
        match h.Kind with
        | HandleKind.TypeReference -> md.GetString((md.GetTypeReference(TypeReferenceHandle.op_Explicit h)).Name)
        | HandleKind.TypeDefinition -> md.GetString((md.GetTypeDefinition(TypeDefinitionHandle.op_Explicit h)).Name)
        | HandleKind.TypeSpecification ->
            let s = md.GetTypeSpecification(TypeSpecificationHandle.op_Explicit h)
            let g = s.DecodeSignature(Names(), ())
            (match g.IndexOf '<' with -1 -> g | i -> g.Substring(0, i))
        | _ -> "?"
    /// The assembly a type reference comes from (its outermost resolution scope).
    let rec scopeOf (h: EntityHandle) =
        match h.Kind with
        | HandleKind.TypeReference ->
            let t = md.GetTypeReference(TypeReferenceHandle.op_Explicit h)
            match t.ResolutionScope.Kind with
            | HandleKind.AssemblyReference -> md.GetString((md.GetAssemblyReference(AssemblyReferenceHandle.op_Explicit t.ResolutionScope)).Name)
            | HandleKind.TypeReference -> scopeOf t.ResolutionScope
            | _ -> ""
        | HandleKind.TypeSpecification ->
            let s = md.GetTypeSpecification(TypeSpecificationHandle.op_Explicit h)
            let blob = md.GetBlobReader s.Signature
            // A generic instantiation: GENERICINST (CLASS | VALUETYPE) TypeDefOrRef ...
            if blob.ReadSignatureTypeCode() = SignatureTypeCode.GenericTypeInstance then
                blob.ReadSignatureTypeCode() |> ignore
                scopeOf (blob.ReadTypeHandle())
            else ""
        | _ -> ""
    let signature (decoded: MethodSignature<string>) = "(" + String.Join(",", decoded.ParameterTypes) + ")"
    let definitionName (h: MethodDefinitionHandle) =
        let m = md.GetMethodDefinition h
        typeName (TypeDefinitionHandle.op_Implicit (m.GetDeclaringType())) + "::" + md.GetString m.Name + signature (m.DecodeSignature(Names(), ()))
    /// A called member: its name, and whether it is defined in this assembly or (from which) another.
    let rec called (token: int) =
        let h = MetadataTokens.EntityHandle token
        match h.Kind with
        | HandleKind.MethodDefinition -> Some(definitionName (MethodDefinitionHandle.op_Explicit h), "")
        | HandleKind.MemberReference ->
            let m = md.GetMemberReference(MemberReferenceHandle.op_Explicit h)
            if m.GetKind() <> MemberReferenceKind.Method then None
            else
                let name = typeName m.Parent + "::" + md.GetString m.Name + signature (m.DecodeMethodSignature(Names(), ()))
                Some(name, scopeOf m.Parent)
        | HandleKind.MethodSpecification ->
            called (MetadataTokens.GetToken(EntityHandle.op_Implicit ((md.GetMethodSpecification(MethodSpecificationHandle.op_Explicit h)).Method)))
        | _ -> None
    /// Every method with a body: its name and what it calls (name, "" for this assembly or the other assembly's name).
    member _.Methods =
        [ for th in md.TypeDefinitions do
            for mh in (md.GetTypeDefinition th).GetMethods() do
                let m = md.GetMethodDefinition mh
                if m.RelativeVirtualAddress <> 0 then
                    let body = pe.GetMethodBody m.RelativeVirtualAddress
                    yield definitionName mh, (calledTokens body |> List.choose called) ]
    interface IDisposable with
        member _.Dispose() = pe.Dispose()

/// TorchSharp's members that convert a number to a Scalar themselves or through the members they call.
let private convertingMembers =
    lazy
        (use torchSharp = new ILAssembly(typeof<TorchSharp.Scalar>.Assembly.Location)
         let calls = torchSharp.Methods |> List.map (fun (m, cs) -> m, cs |> List.map fst |> set) |> dict
         let converts (name: string) = name.StartsWith "Scalar::op_Implicit" || name.Contains "::ToScalar("
         let found = HashSet<string>(calls |> Seq.filter (fun kv -> kv.Value |> Set.exists converts) |> Seq.map _.Key)
         let mutable grew = true
         while grew do
             grew <- false
             for kv in calls do
                 if not (found.Contains kv.Key) && kv.Value |> Set.exists found.Contains then
                     found.Add kv.Key |> ignore
                     grew <- true
         found)

/// The calls of one assembly's methods into TorchSharp that reach a conversion: (method, TorchSharp member).
let private implicitScalarCalls (path: string) =
    use assembly = new ILAssembly(path)
    let converting = convertingMembers.Force()
    [ for m, calls in assembly.Methods do
        for name, scope in calls do
            if scope = "TorchSharp" && (name.StartsWith "Scalar::op_Implicit" || converting.Contains name) then
                yield m, name ]
    |> List.distinct

/// Conversions the library makes on purpose: KeptScalars.Softplus falls back to TorchSharp's public softplus only when
/// TorchSharp's private kept-Scalar overload is missing (a test in TorchScalarTests checks it is found).
let private allowed = set [ "KeptScalars::Softplus(Tensor)", "Tensor::softplus(Double,Double)" ]

/// Never run: the audit's own check that it sees implicit Scalars (a number where a Scalar is expected, TorchSharp's
/// `a + b` with its alpha = 1, and `square()` with its exponent 2).
let private implicitFixture (t: TorchSharp.torch.Tensor) : TorchSharp.torch.Tensor = (0.5 * t + t).square()

[<Tests>]
let tests =
    testList "ScalarAudit" [
        testCase "the audit finds the implicit Scalars of a fixture (0.5 * t, a + b, square())" <| fun () ->
            let found = implicitScalarCalls (Assembly.GetExecutingAssembly().Location) |> List.filter (fun (m, _) -> m.Contains "implicitFixture")
            let members = found |> List.map snd |> set
            for expected in [ "Tensor::op_Multiply(Double,Tensor)"; "Tensor::op_Addition(Tensor,Tensor)"; "Tensor::square()" ] do
                Expect.contains members expected (sprintf "found %s (found: %A)" expected members)

        testCase "no call of Trirl.Deep, Trirl.Environments, Trirl.Experiments or the CLI into TorchSharp converts a number to a Scalar (apart from KeptScalars' checked fallback)" <| fun () ->
            for assembly in [ typeof<Trirl.Deep.ImitationSettings>.Assembly; typeof<Trirl.Environments.ContinuousEnvs>.Assembly
                              typeof<Trirl.Experiments.RunIds>.Assembly; typeof<Trirl.Cli.ExitCodes>.Assembly ] do
                let calls = implicitScalarCalls assembly.Location |> List.filter (fun call -> not (allowed.Contains call))
                Expect.isEmpty calls (sprintf "%s: implicit Scalars in (method, TorchSharp member) %A; use KeptScalars' helpers or a Scalar held until the call returns" (assembly.GetName().Name) calls)
    ]
