using System.Reflection;

namespace Trirl.Deep;

/// <summary>
/// Scalars that stay alive while libtorch reads them. In TorchSharp 0.107 a number passed where a <see cref="Scalar"/>
/// is expected (<c>t.add_(1e-8)</c>, <c>t.mul_(0.9)</c>, <c>0.5 * t</c>, and the <c>alpha = 1</c> that <c>a + b</c>
/// passes inside TorchSharp) becomes a new finalizable <see cref="Scalar"/> that nothing references once the method has
/// read its handle: a garbage collection started by another thread in that moment lets the finalizer free the native
/// <c>c10::Scalar</c> while libtorch is still reading it, and the op fails at random ("Unknown scalar type",
/// "Expected false to be true" from <c>c10/core/Scalar.h</c>) or crashes (dotnet/TorchSharp PRs #1434 and #1496, not in
/// 0.107). The hot loops of this library therefore pass the Scalars below (static, so never collected) or ones held by
/// a <c>using</c> declaration until the call has returned. The values and types are those of the implicit conversions
/// they replace (an <see cref="int"/> 1 as TorchSharp's <c>alpha</c>, a <see cref="double"/> for a double), so every
/// result is bit-identical.
/// </summary>
internal static class KeptScalars
{
    /// <summary>The int 1 that TorchSharp's <c>a + b</c> and <c>add_(x)</c> pass as <c>alpha</c>.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The double 1.0.</summary>
    public static readonly Scalar OneDouble = 1.0.ToScalar();

    /// <summary>The int 2 of TorchSharp's <c>square()</c> (<c>pow(2)</c>).</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>The double 0.5.</summary>
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>The int 0 (<c>t.gt(0)</c>, <c>t.lt(0)</c>).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>The double 20.0 that TorchSharp's <c>softplus()</c> passes as <c>threshold</c>.</summary>
    private static readonly Scalar SoftplusThreshold = 20.0.ToScalar();

    /// <summary><c>a + b</c> (TorchSharp's <c>a.add(b, 1)</c>) with a kept alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>t + s</c> (TorchSharp's <c>t.add(s, 1)</c>) with a kept alpha.</summary>
    public static Tensor Plus(this Tensor t, Scalar s) => t.add(s, One);

    /// <summary><c>s - t</c> (TorchSharp's <c>t.negative().add(s, 1)</c>) with a kept alpha.</summary>
    public static Tensor SubtractedFrom(this Tensor t, Scalar s) => t.neg().add(s, One);

    /// <summary><c>1 - t</c> for an int 1 (TorchSharp's <c>t.negative().add(1, 1)</c>) with kept Scalars.</summary>
    public static Tensor OneMinus(this Tensor t) => t.neg().add(One, One);

    /// <summary><c>t.square()</c> (TorchSharp's <c>t.pow(2)</c>) with a kept exponent.</summary>
    public static Tensor Squared(this Tensor t) => t.pow(Two);

    /// <summary><c>a.add_(b)</c> (TorchSharp's <c>a.add_(b, 1)</c>) with a kept alpha.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>
    /// <c>nn.functional.softplus(t)</c> with kept Scalars: TorchSharp's public <c>softplus(double beta = 1, double
    /// threshold = 20)</c> converts both doubles to Scalars and passes them to its private <c>softplus1(Scalar, Scalar)</c>,
    /// which this calls directly (the same native call on double Scalars 1.0 and 20.0, so the same bits and gradient).
    /// Should a later TorchSharp drop that method, TorchSharp's public softplus is used (<see cref="SoftplusKept"/> is
    /// then false; a test checks it).
    /// </summary>
    public static Tensor Softplus(this Tensor t) => keptSoftplus is { } f ? f(t, OneDouble, SoftplusThreshold) : t.softplus(1.0, 20.0);

    /// <summary>Whether <see cref="Softplus"/> passes kept Scalars (TorchSharp's private <c>softplus1</c> was found).</summary>
    internal static bool SoftplusKept => keptSoftplus is not null;

    private static readonly Func<Tensor, Scalar, Scalar, Tensor>? keptSoftplus =
        typeof(Tensor).GetMethod("softplus1", BindingFlags.Instance | BindingFlags.NonPublic, null, [typeof(Scalar), typeof(Scalar)], null) is { } m
        && m.ReturnType == typeof(Tensor)
            ? m.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>()
            : null;

    /// <summary><c>t.elu()</c> with alpha 1.0 (TorchSharp's <c>t.elu(1.0, 1.0, 1.0)</c>, doubles) with kept Scalars.</summary>
    public static Tensor Elu(this Tensor t) => t.elu(OneDouble, OneDouble, OneDouble);

    /// <summary>
    /// <c>nn.ELU()</c> with kept Scalars: TorchSharp's module calls <c>x.elu(1.0)</c>, which converts its three doubles
    /// (alpha, scale, input scale) to Scalars that nothing holds. Parameterless like TorchSharp's (and named the same),
    /// so a network's parameters, <c>state_dict</c> and saved bytes do not change.
    /// </summary>
    internal sealed class EluModule : TorchSharp.Modules.ParameterLessModule<Tensor, Tensor>
    {
        /// <summary>The activation.</summary>
        public EluModule() : base("ELU")
        {
        }

        /// <summary><c>elu(x)</c> with alpha 1.</summary>
        public override Tensor forward(Tensor input) => input.Elu();
    }

    /// <summary>
    /// <c>torch.optim.Adam</c> with every Scalar of its step kept alive: TorchSharp's own <c>Adam.step</c> passes
    /// <c>beta1</c>, <c>1 - beta1</c>, <c>beta2</c>, <c>1 - beta2</c>, <c>sqrt(bias_correction2)</c>, <c>eps</c> (and
    /// <c>alpha = 1</c> inside <c>add_(eps)</c>) and <c>-step_size</c> as implicit Scalars, which a collection started by
    /// another thread can free while libtorch reads them (a long SAC run failed in <c>add_(eps)</c> with "Unknown scalar
    /// type"). The step below is TorchSharp 0.107's, line for line, with the same operations on Scalars of the same values
    /// and types, so the parameters and the state are bit-identical to <see cref="TorchSharp.Modules.Adam"/>'s. The class is
    /// named <c>Adam</c> and keeps the base class's state and options: <c>save_state_dict</c> writes the type's name, so
    /// checkpoints are byte-for-byte those of TorchSharp's Adam and either reads the other's.
    /// </summary>
    internal sealed class Adam : TorchSharp.Modules.Adam
    {
        /// <summary>Adam over <paramref name="parameters"/> with TorchSharp's defaults except the learning rate.</summary>
        public Adam(IEnumerable<TorchSharp.Modules.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
            double weight_decay = 0, bool amsgrad = false, bool maximize = false)
            : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
        {
        }

        /// <summary>One parameter update (TorchSharp 0.107's <c>Adam.step</c> with kept Scalars).</summary>
        public override Tensor step(Func<Tensor>? closure = null)
        {
            return _step<ParamGroup>(group =>
            {
                var options = (Options)group.Options;
                double beta1 = options.beta1!.Value;
                double beta2 = options.beta2!.Value;
                double weight_decay = options.weight_decay!.Value;
                bool amsgrad = options.amsgrad!.Value;
                bool maximize = options.maximize!.Value;
                double eps = options.eps!.Value;
                double lr = options.LearningRate!.Value;
                using var beta1Scalar = beta1.ToScalar();
                using var keep1 = (1 - beta1).ToScalar();
                using var beta2Scalar = beta2.ToScalar();
                using var keep2 = (1 - beta2).ToScalar();
                using var epsScalar = eps.ToScalar();
                using var decay = weight_decay.ToScalar();

                foreach (var param in group.Parameters)
                {
                    var state = (State)_state[param.Handle];
                    var grad = param.grad;
                    if (grad is null) continue;
                    // The same arithmetic in one pass where it is bit for bit the same (FusedAdam checks it once).
                    if (!amsgrad && !maximize && weight_decay == 0 && FusedAdam.Applies(param, grad, state.exp_avg, state.exp_avg_sq)
                        && FusedAdam.Available)
                    {
                        state.step += 1;
                        FusedAdam.Step(param, grad, state.exp_avg, state.exp_avg_sq, state.step, lr, beta1, beta2, eps);
                        continue;
                    }
                    if (maximize) grad = -grad;
                    state.step += 1;
                    var bias_correction1 = 1 - Math.Pow(beta1, state.step);
                    var bias_correction2 = 1 - Math.Pow(beta2, state.step);
                    if (weight_decay != 0) grad = grad.add(param, decay);

                    state.exp_avg.mul_(beta1Scalar).add_(grad, keep1);
                    state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), keep2);

                    using var root = Math.Sqrt(bias_correction2).ToScalar();
                    Tensor denom;
                    if (amsgrad)
                    {
                        var t0 = state.max_exp_avg_sq;
                        state.max_exp_avg_sq = maximum(t0, state.exp_avg_sq).DetachFromDisposeScope();
                        t0.Dispose();
                        denom = state.max_exp_avg_sq.sqrt().div(root).add_(epsScalar, One);
                    }
                    else
                    {
                        denom = state.exp_avg_sq.sqrt().div(root).add_(epsScalar, One);
                    }

                    var step_size = lr / bias_correction1;
                    using var value = (-step_size).ToScalar();
                    param.addcdiv_(state.exp_avg, denom, value);
                }
            }, closure);
        }

        /// <summary>
        /// The step above for one parameter without weight decay, amsgrad or maximize, as libtorch calls (what
        /// <see cref="FusedAdam"/> is checked against).
        /// </summary>
        internal static void ReferenceStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, double lr, double beta1, double beta2, double eps)
        {
            using var scope = NewDisposeScope();
            using var beta1Scalar = beta1.ToScalar();
            using var keep1 = (1 - beta1).ToScalar();
            using var beta2Scalar = beta2.ToScalar();
            using var keep2 = (1 - beta2).ToScalar();
            using var epsScalar = eps.ToScalar();
            var bias_correction1 = 1 - Math.Pow(beta1, step);
            var bias_correction2 = 1 - Math.Pow(beta2, step);
            expAvg.mul_(beta1Scalar).add_(grad, keep1);
            expAvgSq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), keep2);
            using var root = Math.Sqrt(bias_correction2).ToScalar();
            var denom = expAvgSq.sqrt().div(root).add_(epsScalar, One);
            var step_size = lr / bias_correction1;
            using var value = (-step_size).ToScalar();
            param.addcdiv_(expAvg, denom, value);
        }
    }
}
