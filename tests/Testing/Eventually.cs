using System.Diagnostics;

namespace ChatPlatform.Testing;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds and returns how long that took; throws after <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string description)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout}: {description}");
            }

            await Task.Delay(50);
        }

        return stopwatch.Elapsed;
    }
}
