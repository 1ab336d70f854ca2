// The namespaces nearly every file of this project uses: the invariant culture of every number the CLI reads or writes, and the libraries it maps flags onto.
global using System.Globalization;
global using Trirl.Deep;
global using Trirl.Functional;
