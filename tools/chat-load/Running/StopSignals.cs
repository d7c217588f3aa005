using System.Runtime.InteropServices;

namespace ChatPlatform.Load.Running;

/// <summary>
/// The first Ctrl-C (SIGINT) or SIGTERM stops the run gracefully: sending ends, answers in flight
/// and a short drain are waited for, and the summary is printed. A second one ends the process
/// at once, for a run that does not stop.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _signals;

    private StopSignals(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => _stop.Token;

    public static StopSignals Register(CancellationToken outer) => new(outer);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            context.Cancel = true;
            // Not on the signal's thread: cancelling runs the run's callbacks.
            _ = Task.Run(_stop.Cancel);
        }
    }
}
