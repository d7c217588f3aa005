using System.Runtime.InteropServices;

namespace ChatPlatform.Testing;

/// <summary>POSIX signals, which <see cref="System.Diagnostics.Process"/> cannot send except SIGKILL.</summary>
public static class Signals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != 3)
            {
                // 3 is ESRCH: the process is already gone, which is what was wanted.
                throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {error}.");
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
