using System.Text.Json;
using Trirl.Cli.Output;
using Trirl.Environments;

namespace Trirl.Cli.Benchmarks;

/// <summary>
/// The JSON the PyTorch re-creation of the loop reads (<c>scripts/bench/trirl_pytorch.py</c>): every shape, count and
/// coefficient of one deep TRIRL iteration taken from the same <see cref="ImitationSettings"/> the C# bench times, so the
/// presets stay the one source of truth, and each phase's distinct matrix products (<see cref="PhaseFloors"/>), which
/// the script times on its own BLAS as <see cref="GemmRate"/> does on libtorch's. Written for the buffer reward model
/// on a <see cref="Pendulum"/>, the only task the script simulates.
/// </summary>
public static class PyTorchReferenceSpec
{
    /// <summary>The format version the script expects (it refuses others).</summary>
    public const int Format = 1;

    /// <summary>
    /// The spec's text: the pendulum's constants, the rollout, the networks, the discriminator's training and PPO's update
    /// under <paramref name="settings"/>, <paramref name="expertTransitions"/> expert rows (the script draws random ones),
    /// <paramref name="threads"/> torch threads, <paramref name="iterations"/> timed iterations after one warm-up, and the
    /// buffer filled with <paramref name="fillEta"/> as <see cref="ImitationBenchmark.Loop"/> fills it.
    /// </summary>
    public static string Text(Pendulum task, ImitationSettings settings, int expertTransitions, int threads, int iterations, double fillEta)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validated();
        if (settings.RewardModel != RewardModelKind.Buffer || settings.Method is not (ImitationMethod.Trirl or ImitationMethod.Gail))
            throw new TrirlInputException("imitation.reward_model", "the PyTorch reference re-creates trirl and gail with the buffer reward model only",
                "bench a trirl preset (the buffer model)");
        Check.PositiveInt(expertTransitions, "expert_transitions");
        Check.PositiveInt(threads, "--threads", "pass a positive thread count");
        Check.PositiveInt(iterations, "--iterations", "time at least one iteration");
        var p = task.Parameters;
        var ppo = settings.Ppo;
        var spec = task.Spec;
        return JsonText.Object(w =>
        {
            w.WriteNumber("format", Format);
            // The pendulum's constants under the record's own names (snake_case: gravity, ..., max_steps), and its name.
            var env = JsonSerializer.SerializeToNode(p, SettingsJson.Options)!.AsObject();
            env["name"] = task.Name;
            w.WritePropertyName("env");
            env.WriteTo(w);
            w.WriteNumber("observation_size", spec.ObservationSize);
            w.WriteNumber("action_size", spec.ActionSize);
            w.WriteNumberArray("action_low", spec.ActionLow);
            w.WriteNumberArray("action_high", spec.ActionHigh);
            w.WriteNumber("expert_transitions", expertTransitions);
            w.WriteNumber("threads", threads);
            w.WriteNumber("iterations", iterations);
            w.WriteNumber("seed", 0);
            w.WriteNumber("fill_eta", fillEta);
            w.WriteObject("ppo", o =>
            {
                o.WriteNumber("copies", ppo.Copies);
                o.WriteNumber("rollout_steps", ppo.RolloutSteps);
                o.WriteNumber("epochs", ppo.Epochs);
                o.WriteNumber("minibatch_size", ppo.MinibatchSize);
                o.WriteNumber("learning_rate", ppo.LearningRate);
                o.WriteNumber("gamma", ppo.Gamma);
                o.WriteNumber("gae_lambda", ppo.GaeLambda);
                o.WriteNumber("clip_range", ppo.ClipRange);
                o.WriteNumber("entropy_coef", ppo.EntropyCoef);
                o.WriteNumber("value_coef", ppo.ValueCoef);
                o.WriteNumber("max_grad_norm", ppo.MaxGradNorm);
                o.WriteNumber("initial_std", ppo.InitialStd);
                o.WriteBoolean("normalize_observations", ppo.NormalizeObservations);
                o.WriteBoolean("clip_actions", ppo.ClipActions);
                // The output gains are the networks' own (GaussianPolicy: 0.01, the critic: 1, Discriminator: 0.1).
                WriteNetwork(o, "policy", ppo.Policy, 0.01);
                WriteNetwork(o, "critic", ppo.Critic, 1.0);
            });
            w.WriteObject("imitation", o =>
            {
                o.WriteString("method", EnumNames.Name(settings.Method));
                o.WriteNumber("eps", settings.Eps);
                o.WriteNumber("buffer_size", settings.BufferSize);
                o.WriteBoolean("corrects", settings.Corrects);
                o.WriteString("features", FeatureModes.Name(settings.Features));
                o.WriteBoolean("absorbing_states", settings.AbsorbingStates);
                o.WritePropertyName("eta_schedule");
                JsonSerializer.Serialize(o, settings.EtaSchedule, SettingsJson.Options);   // as checkpoints write it
                WriteNetwork(o, "discriminator", settings.Discriminator, 0.1);
                o.WriteNumber("disc_learning_rate", settings.DiscLearningRate);
                o.WriteNumber("disc_epochs", settings.DiscEpochs);
                o.WriteNumber("disc_minibatch_size", settings.DiscMinibatchSize);
                o.WriteNumber("gp_lambda", settings.GpLambda);
                o.WriteNumber("gp_alpha", settings.GpAlpha);
            });
            // Each phase's distinct products (PhaseFloors), for the same GEMM floor timed on PyTorch's BLAS.
            w.WriteObjects("gemms", PhaseFloors.Loop(settings, spec.ObservationSize, spec.ActionSize), (o, work) =>
            {
                o.WriteString("phase", work.Phase);
                o.WriteObjects("products", work.Merged, (g, product) =>
                {
                    g.WriteString("kind", KindName(product.Kind));
                    g.WriteNumber("batch", product.Batch);
                    g.WriteNumber("inputs", product.Inputs);
                    g.WriteNumber("outputs", product.Outputs);
                    g.WriteNumber("count", product.Count);
                });
            });
        }) + "\n";
    }

    /// <summary>The script's name of a product's kind: <c>forward</c>, <c>input_gradient</c> or <c>weight_gradient</c>.</summary>
    public static string KindName(GemmKind kind) => kind switch
    {
        GemmKind.Forward => "forward",
        GemmKind.InputGradient => "input_gradient",
        _ => "weight_gradient",
    };

    private static void WriteNetwork(Utf8JsonWriter w, string name, MlpSpec spec, double outputGain) => w.WriteObject(name, n =>
    {
        n.WriteArray("hidden", spec.Hidden, (a, h) => a.WriteNumberValue(h));
        n.WriteString("activation", EnumNames.Name(spec.Activation));
        n.WriteBoolean("layer_norm", spec.LayerNorm);
        n.WriteNumber("output_gain", outputGain);
    });
}
