// Loaded after docs/.load.fsx by the `condition: prepare` block of the deep pages: TorchSharp with the CPU build of
// libtorch for Linux x64 (the versions paket.lock pins in its group Deep) and the continuous-control and deep
// assemblies as built by `dotnet build Trirl.Functional.sln -c Release`.
#r "nuget: TorchSharp, 0.107.0"
#r "nuget: libtorch-cpu-linux-x64, 2.10.0"
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.Environments.dll"
#r "../src/Trirl.Deep/bin/Release/net10.0/Trirl.Deep.dll"
#r "../fsharp/Trirl.FSharp.Deep/bin/Release/net10.0/Trirl.FSharp.Deep.dll"
