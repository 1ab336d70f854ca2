namespace Trirl.Deep;

/// <summary>
/// Gaussian noise sequences with the power spectrum <c>S(f) ~ f^-beta</c> ("colored" noise): <c>beta = 0</c> is white
/// noise, <c>beta = 1</c> pink, <c>beta = 2</c> red (Brownian). Temporally correlated exploration noise for off-policy
/// learners (Eberhard, Hollenstein, Pinneri and Martius, "Pink Noise Is All You Need: Colored Noise Exploration in Deep
/// Reinforcement Learning", ICLR 2023): one sequence per episode and action entry, read one sample per step, in place
/// of the i.i.d. draws of SAC. Pink noise makes long, consistent pushes that reach far states (the goal of
/// MountainCarContinuous) while keeping enough high-frequency variation for local search.
/// <para>
/// Generation (Timmer and König, "On generating power law noise", A&amp;A 300, 1995), for a length <c>n</c> with
/// <c>K = floor(n / 2)</c> frequencies <c>f_k = k / n</c>: amplitudes <c>s_k = max(f_k, 1/n)^(-beta/2)</c>; Fourier
/// coefficients <c>c_k = a_k + i b_k</c> with <c>a_k, b_k ~ N(0, s_k^2)</c> (drawn in the order a_0, b_0, a_1, b_1, ...),
/// real at <c>k = 0</c> and, for even <c>n</c>, at <c>k = K</c> (there <c>b = 0</c> and <c>a</c> is scaled by
/// <c>sqrt 2</c>); the sequence is the inverse real DFT <c>y_t = (1/n) sum_k w_k Re(c_k e^(2 pi i k t / n))</c> (weight
/// 1 for the real terms, 2 for the others), divided by its exact standard deviation, so every sample is exactly
/// <c>N(0, 1)</c> (the colorednoise package normalises by an approximation that leaves out the constant term).
/// </para>
/// </summary>
public static class ColoredNoise
{
    /// <summary>White noise: i.i.d. draws (SAC's own exploration).</summary>
    public const double White = 0.0;

    /// <summary>Pink noise, <c>S(f) ~ 1/f</c> (the recommendation of Eberhard et al.).</summary>
    public const double Pink = 1.0;

    /// <summary>Red (Brownian) noise, <c>S(f) ~ 1/f^2</c>.</summary>
    public const double Red = 2.0;

    /// <summary>Largest accepted exponent.</summary>
    public const double MaxExponent = 4.0;

    /// <summary>
    /// The exponent named by <paramref name="text"/>: <c>white</c> (0), <c>pink</c> (1), <c>red</c> or <c>brown</c> (2), or
    /// a number in <c>[0, 4]</c>.
    /// </summary>
    public static double Parse(string text, string field = "noise")
    {
        string t = (text ?? "").Trim().ToLowerInvariant();
        double beta = t switch
        {
            "white" => White,
            "pink" => Pink,
            "red" or "brown" or "brownian" => Red,
            _ => double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
                ? v
                : throw new TrirlInputException(field, string.IsNullOrWhiteSpace(text) ? "is empty" : $"'{text}' is not a noise colour",
                    "use white, pink, red or an exponent between 0 and 4"),
        };
        return CheckExponent(beta, field);
    }

    /// <summary>The name of <paramref name="exponent"/> (<c>white</c>, <c>pink</c>, <c>red</c>) or the number itself.</summary>
    public static string Name(double exponent) => exponent switch
    {
        White => "white",
        Pink => "pink",
        Red => "red",
        _ => exponent.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Throws a <see cref="TrirlInputException"/> unless <paramref name="exponent"/> is in <c>[0, MaxExponent]</c>.</summary>
    public static double CheckExponent(double exponent, string field)
    {
        if (!(exponent >= 0 && exponent <= MaxExponent))
            throw new TrirlInputException(field, $"must be in [0, {MaxExponent}], got {Check.Format(exponent)}",
                "use 0 (white, SAC's i.i.d. noise), 1 (pink) or 2 (red)");
        return exponent;
    }

    /// <summary>
    /// One sequence of <paramref name="length"/> standard normal samples with spectrum <c>f^-exponent</c>, every draw
    /// from <paramref name="rng"/> (<c>2 (floor(n/2) + 1)</c> Gaussians).
    /// </summary>
    public static double[] Sequence(double exponent, int length, Rng rng)
    {
        CheckExponent(exponent, nameof(exponent));
        Check.PositiveInt(length, nameof(length));
        ArgumentNullException.ThrowIfNull(rng);
        int n = length, k = n / 2;
        bool even = n % 2 == 0;
        var a = new double[k + 1];
        var b = new double[k + 1];
        var weight = new double[k + 1];
        double variance = 0;
        for (int j = 0; j <= k; j++)
        {
            double f = Math.Max((double)j / n, 1.0 / n);
            double s = Math.Pow(f, -exponent / 2);
            a[j] = s * rng.NextGaussian();
            b[j] = s * rng.NextGaussian();
            bool real = j == 0 || (even && j == k);
            if (real)
            {
                a[j] *= Math.Sqrt(2);
                b[j] = 0;
                weight[j] = 1;
                variance += 2 * s * s;
            }
            else
            {
                weight[j] = 2;
                variance += 4 * s * s;
            }
        }
        // Var(y_t) = (1/n^2) (sum over real terms of 2 s^2 + sum over the others of 4 s^2), the same for every t.
        double scale = 1.0 / Math.Sqrt(variance);
        var cos = new double[n];
        var sin = new double[n];
        for (int m = 0; m < n; m++)
        {
            double angle = 2 * Math.PI * m / n;
            cos[m] = Math.Cos(angle);
            sin[m] = Math.Sin(angle);
        }
        var y = new double[n];
        for (int t = 0; t < n; t++)
        {
            double sum = 0;
            int index = 0;
            for (int j = 0; j <= k; j++)
            {
                sum += weight[j] * (a[j] * cos[index] - b[j] * sin[index]);
                index += t;
                if (index >= n) index %= n;
            }
            y[t] = sum * scale;
        }
        return y;
    }

    /// <summary>
    /// The standard normal distribution function <c>Phi(z)</c> (Numerical Recipes' Chebyshev fit of erfc, relative error
    /// below 1.2e-7): maps a standard normal sample to a uniform one, so <c>2 Phi(z) - 1</c> is uniform on <c>[-1, 1]</c>.
    /// </summary>
    public static double NormalCdf(double z)
    {
        double x = -z / Math.Sqrt(2);
        double ax = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * ax);
        double erfc = t * Math.Exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        if (x < 0) erfc = 2.0 - erfc;
        return 0.5 * erfc;
    }
}
