// The namespaces nearly every file of this project uses: immutable arrays and the core records.
global using System.Collections.Immutable;
global using Trirl.Functional;
