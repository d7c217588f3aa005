using System.Text.Json;

namespace ChatPlatform.Load.Running;

/// <summary>
/// A load message's body: the run, the sending client's number, its sequence number and when it
/// was sent (<see cref="Clock"/>), so the receiver can tell duplicates and measure latency.
/// </summary>
internal sealed record LoadBody(string Run, int From, long Seq, long SentUs)
{
    /// <summary>Reads a body; false for anything that is not a load body (a message from someone else).</summary>
    public static bool TryRead(JsonElement body, out LoadBody read)
    {
        read = null!;
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("run", out var run) || run.ValueKind != JsonValueKind.String
            || !body.TryGetProperty("from", out var from) || !from.TryGetInt32(out var sender)
            || !body.TryGetProperty("seq", out var seq) || !seq.TryGetInt64(out var sequence)
            || !body.TryGetProperty("sentUs", out var sentUs) || !sentUs.TryGetInt64(out var sent))
        {
            return false;
        }

        read = new LoadBody(run.GetString()!, sender, sequence, sent);
        return true;
    }
}
