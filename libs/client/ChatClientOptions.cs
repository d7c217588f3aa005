using System.Text.Json;

namespace ChatPlatform.Client;

/// <summary>
/// How a <see cref="ChatClient"/> connects and behaves. Set exactly one way to authenticate:
/// <see cref="User"/> (a development user name), <see cref="Token"/> or <see cref="TokenProvider"/>.
/// The client reads these settings while it runs: do not change them after connecting.
/// </summary>
public sealed class ChatClientOptions
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>
    /// Gateway addresses, e.g. <c>ws://127.0.0.1:8081/ws</c>. The first connection tries them in
    /// order; each reconnect attempt moves on to the next, so a client leaves a gateway that went away.
    /// </summary>
    public IList<Uri> Urls { get; } = [];

    /// <summary>A development user name, sent as <c>?user=NAME</c> (gateways that allow development users only).</summary>
    public string? User { get; set; }

    /// <summary>A JWT, sent as <c>Authorization: Bearer &lt;token&gt;</c> on every connection attempt.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Called before every connection attempt for the JWT to send, so a reconnect can use a fresh
    /// token (e.g. after the gateway closed the connection because the token expired).
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>How long one connection attempt may take, up to and including the welcome. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a call waits for its answer before it fails with <c>timeout</c>. Default 30 s, longer
    /// than a gateway takes to answer <c>unavailable</c> itself (at most about 15 s).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether to reconnect after the connection is lost. Default <see langword="true"/>.</summary>
    public bool Reconnect { get; set; } = true;

    /// <summary>The ceiling of the first reconnect delay; each attempt doubles it, up to <see cref="ReconnectMaxDelay"/>. Default 0.5 s.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest delay between reconnect attempts. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the client pings the gateway. Default 15 s; <see cref="TimeSpan.Zero"/> turns pings off.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the client waits for a pong before it drops the connection as dead. Default 15 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The largest frame the client sends; larger sends fail with <c>too_large</c> unsent. Default 65,536 bytes, the gateway's default.</summary>
    public int MaxFrameBytes { get; set; } = 65_536;

    /// <summary>How message bodies are serialized. Default <see cref="JsonSerializerOptions.Web"/> (camelCase).</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = JsonSerializerOptions.Web;

    internal void Validate()
    {
        if (Urls.Count == 0)
        {
            throw new ArgumentException("Set at least one gateway URL.", nameof(Urls));
        }

        foreach (var url in Urls)
        {
            if (!url.IsAbsoluteUri || url.Scheme is not ("ws" or "wss"))
            {
                throw new ArgumentException($"Gateway URLs must be absolute ws:// or wss:// addresses: {url}", nameof(Urls));
            }
        }

        var ways = (User is null ? 0 : 1) + (Token is null ? 0 : 1) + (TokenProvider is null ? 0 : 1);
        if (ways != 1)
        {
            throw new ArgumentException("Set exactly one of User, Token or TokenProvider.");
        }

        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("RequestTimeout and ConnectTimeout must be positive.");
        }

        // Timers and CancelAfter take at most int.MaxValue milliseconds (about 24.8 days).
        if (RequestTimeout > MaxTimeout || ConnectTimeout > MaxTimeout)
        {
            throw new ArgumentException($"RequestTimeout and ConnectTimeout must be at most {MaxTimeout} (int.MaxValue milliseconds).");
        }

        if (ReconnectInitialDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectInitialDelay)
        {
            throw new ArgumentException("ReconnectInitialDelay must be positive and at most ReconnectMaxDelay.");
        }
    }
}
