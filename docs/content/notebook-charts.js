// Charts kept in a notebook's outputs (the C# page is made from notebooks/06-csharp-quickstart.ipynb) load plotly.js
// through RequireJS from a CDN. The site ships plotly.js and loads it first, so this stand-in for RequireJS hands the
// charts the local Plotly instead, and nothing is fetched from the network.
window.requirejs = function () {};
window.requirejs.config = function () {
    return function (modules, ready) { ready(window.Plotly); };
};
