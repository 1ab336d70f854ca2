// The Release build's libraries for the probe scripts (#load "load-deep-build.fsx"), with TorchSharp and libtorch
// from their packages, as docs/.load-deep.fsx loads them: referencing a build folder's TorchSharp.dll from a script
// makes TorchSharp copy libtorch into that folder, and the CLI there then loads it twice.
#r "nuget: TorchSharp, 0.107.0"
#r "nuget: libtorch-cpu-linux-x64, 2.10.0"
#r "../src/Trirl.Deep/bin/Release/net10.0/Trirl.Functional.dll"
#r "../src/Trirl.Deep/bin/Release/net10.0/Trirl.MuJoCo.dll"
#r "../src/Trirl.Deep/bin/Release/net10.0/Trirl.Environments.dll"
#r "../src/Trirl.Deep/bin/Release/net10.0/Trirl.Deep.dll"
