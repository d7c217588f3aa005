using System.Globalization;
using ChatPlatform.Load.Stats;

namespace ChatPlatform.Load.Output;

/// <summary>The summary as plain lines, one number (or one distribution) a line, invariant culture.</summary>
internal static class SummaryText
{
    public static void Write(LoadSummary summary, TextWriter output)
    {
        var target = summary.Room is null ? "direct messages" : $"room {summary.Room}";
        output.WriteLine(Invariant($"{target}: {summary.Clients} clients over {summary.Gateways} gateway(s), {summary.Rate:0.###} msg/s each{(summary.Interrupted ? " (interrupted)" : "")}"));
        Line(output, "connected", Invariant($"{summary.Connected} of {summary.Clients} in {summary.ConnectSeconds:0.000} s{(summary.ConnectFailed > 0 ? $", {summary.ConnectFailed} failed" : "")}"));
        Line(output, "connect ms", Distribution(summary.ConnectMs));
        Line(output, "sent", Invariant($"{summary.Sent} in {summary.SendSeconds:0.000} s ({summary.SentPerSecond:0.0}/s){(summary.Skipped > 0 ? $", {summary.Skipped} skipped: the senders fell behind" : "")}"));
        Line(output, "acked", Invariant($"{summary.Acked}"));
        Line(output, "errors", summary.Errors.Count == 0 ? "none" : string.Join(", ", summary.Errors.Select(error => Invariant($"{error.Key} {error.Value}"))));
        Line(output, "expected", Invariant($"{summary.Expected}"));
        Line(output, "received", Invariant($"{summary.Received} ({summary.DeliveredPerSecond:0.0}/s)"));
        Line(output, "lost", Invariant($"{summary.Lost}"));
        Line(output, "duplicates", Invariant($"{summary.Duplicates}"));
        if (summary.UnackedDelivered != 0 || summary.Foreign != 0 || summary.Disconnects != 0)
        {
            Line(output, "other", Invariant($"{summary.UnackedDelivered} delivered without an ack, {summary.Foreign} foreign messages, {summary.Disconnects} disconnects"));
        }

        Line(output, "ack ms", Distribution(summary.AckMs));
        Line(output, "delivery ms", Distribution(summary.DeliveryMs));
    }

    private static void Line(TextWriter output, string name, string value) => output.WriteLine($"{name,-12} {value}");

    private static string Distribution(LatencyStats? stats) => stats is null
        ? "-"
        : Invariant($"p50 {stats.P50:0.00}  p90 {stats.P90:0.00}  p99 {stats.P99:0.00}  max {stats.Max:0.00}  ({stats.Count})");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
