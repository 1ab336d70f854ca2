namespace Trirl.Deep;

/// <summary>
/// Orthogonal weight initialisation (Saxe et al. 2014), as <c>torch.nn.init.orthogonal_</c>, but drawn from a seeded
/// <see cref="Rng"/> and computed in float64 C#, so initial weights depend only on the run seed, never on torch's
/// generator, the device or the thread count. For a <c>rows x cols</c> weight: draw a standard Gaussian matrix
/// (transposed when <c>rows &lt; cols</c>), orthonormalise its columns (modified Gram-Schmidt, applied twice for
/// accuracy; equivalent to the Q of a QR decomposition whose R has a positive diagonal), transpose back and scale by
/// <c>gain</c>. The result has orthonormal rows (<c>rows &lt;= cols</c>) or columns, times <c>gain</c>.
/// </summary>
public static class OrthogonalInit
{
    /// <summary>A <c>rows x cols</c> matrix, row-major, float32.</summary>
    public static float[] Matrix(int rows, int cols, double gain, Rng rng)
    {
        if (rows < 1 || cols < 1) throw new TrirlInputException("shape", $"is {rows} x {cols}", "pass a shape with positive sizes");
        ArgumentNullException.ThrowIfNull(rng);
        bool transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;
        // Column-major m x n with m >= n: q[j] is column j.
        var q = new double[n][];
        for (int j = 0; j < n; j++) q[j] = new double[m];
        // Fill in the row-major order of the (possibly transposed) m x n matrix, like torch's flattened normal_.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                q[j][i] = rng.NextGaussian();
        for (int j = 0; j < n; j++)
        {
            var v = q[j];
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < j; k++)
                {
                    var u = q[k];
                    double dot = 0;
                    for (int i = 0; i < m; i++) dot += u[i] * v[i];
                    for (int i = 0; i < m; i++) v[i] -= dot * u[i];
                }
            double norm = 0;
            for (int i = 0; i < m; i++) norm += v[i] * v[i];
            norm = Math.Sqrt(norm);
            if (!(norm > 1e-12)) throw new InvalidOperationException("orthogonal initialisation drew a degenerate matrix");
            for (int i = 0; i < m; i++) v[i] /= norm;
        }
        var w = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                w[r * cols + c] = (float)(gain * (transpose ? q[r][c] : q[c][r]));
        return w;
    }
}
