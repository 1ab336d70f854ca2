using System.CommandLine;
using Trirl.Cli.Terminal;

namespace Trirl.Cli;

/// <summary>
/// How a command's failure becomes an exit code and one line (<see cref="ExitCodes"/>), for the command line and for a
/// sweep's runs in process alike: bad input (a <see cref="TrirlInputException"/>, its field shown as the command's flag,
/// <see cref="FieldFlags"/>) and a missing libmujoco are 2; libtorch that does not load and anything unexpected are 1.
/// </summary>
public static class Outcomes
{
    /// <summary>Runs <paramref name="run"/> for <paramref name="command"/> and returns its exit code, printing one line on failure.</summary>
    public static int Of(Command command, Action run)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            run();
            return ExitCodes.Success;
        }
        catch (TrirlInputException ex)
        {
            Messages.Error(FieldFlags.ForCommand(ex, command).Message);
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (MuJoCoMissing(ex) is { } missing)
        {
            // libmujoco is missing or the wrong version: the message names the apt command. A setup problem the user
            // fixes before rerunning, reported like bad input.
            Messages.Error(missing.Message);
            return ExitCodes.BadInput;
        }
        catch (Trirl.Deep.TorchUnavailableException ex)
        {
            // libtorch did not load: the message already names the fix.
            Messages.Error(ex.Message);
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            Messages.Error($"{ex.Message} ({ex.GetType().FullName})");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The <see cref="Trirl.MuJoCo.MuJoCoUnavailableException"/> in <paramref name="error"/>'s chain (a static constructor may wrap it), or null.</summary>
    private static Trirl.MuJoCo.MuJoCoUnavailableException? MuJoCoMissing(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (e is Trirl.MuJoCo.MuJoCoUnavailableException m) return m;
        return null;
    }
}
