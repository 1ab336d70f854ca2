// The namespaces nearly every file of this project uses: the tensor library (TorchSharp and its torch functions), the tasks and the core records.
global using System.Collections.Immutable;
global using TorchSharp;
global using Trirl.Environments;
global using Trirl.Functional;
global using static TorchSharp.torch;
