// Typesets the pages' mathematics with KaTeX (shipped with the site): FSharp.Formatting writes inline math as \( \)
// and display math as \[ \] inside <span class="math">.
document.addEventListener("DOMContentLoaded", function () {
    renderMathInElement(document.getElementById("content"), {
        delimiters: [
            { left: "\\[", right: "\\]", display: true },
            { left: "\\(", right: "\\)", display: false },
            { left: "$$", right: "$$", display: true }
        ],
        throwOnError: false
    });
});
