// Loaded by the `condition: prepare` block of the deep pages in place of docs/.load.fsx, which it loads first: TorchSharp
// with the CPU build of libtorch for Linux x64 (the versions paket.lock pins in its group Deep) and the
// continuous-control and deep assemblies as built by `dotnet build Trirl.Functional.sln -c Release`. Its `#if IPYNB`
// block is what a notebook made from a deep page holds instead (as in docs/.load.fsx).
#load ".load.fsx"
#if IPYNB
// The packages built by bash scripts/pack.sh, from the feed notebooks/NuGet.Config names (notebooks/README.md)
#r "nuget: Trirl.Deep, *-*"
#r "nuget: Trirl.FSharp, *-*"
#r "nuget: Trirl.FSharp.Deep, *-*"
#r "nuget: Plotly.NET.Interactive, 6.0.0"
#endif // IPYNB
#r "nuget: TorchSharp, 0.107.0"
#r "nuget: libtorch-cpu-linux-x64, 2.10.0"
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.Environments.dll"
#r "../src/Trirl.Deep/bin/Release/net10.0/Trirl.Deep.dll"
#r "../fsharp/Trirl.FSharp.Deep/bin/Release/net10.0/Trirl.FSharp.Deep.dll"
