using System.CommandLine;

namespace ChatPlatform.Cli.Commands;

/// <summary><c>--timeout SECONDS</c>: how long a command waits for an answer, 30 by default.</summary>
internal static class TimeoutOption
{
    private const double MinSeconds = 0.001;
    private const double MaxSeconds = 3600;

    public static Option<double> Create(string description)
    {
        var option = new Option<double>("--timeout") { Description = description, DefaultValueFactory = _ => 30 };
        option.Validators.Add(result =>
        {
            // An hour is far past any answer worth waiting for, and NaN, huge or tiny values would
            // make every call fail or overflow later.
            var seconds = result.GetValueOrDefault<double>();
            if (!(seconds >= MinSeconds && seconds <= MaxSeconds))
            {
                result.AddError($"--timeout must be between {MinSeconds} and {MaxSeconds} seconds.");
            }
        });
        return option;
    }
}
