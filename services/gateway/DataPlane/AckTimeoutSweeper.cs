namespace ChatPlatform.Gateway.DataPlane;

/// <summary>Answers messages whose router outcome is overdue.</summary>
internal sealed class AckTimeoutSweeper(Acknowledgements acknowledgements, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            acknowledgements.ExpireOverdue();
        }
    }
}
