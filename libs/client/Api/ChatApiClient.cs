using System.Net.Http.Headers;
using System.Text.Json;
using ChatPlatform.Client.Protocol;
using ChatPlatform.Protocol;

namespace ChatPlatform.Client.Api;

/// <summary>
/// A client of the server API that application backends use (docs/api.md): publish messages as a
/// system sender, ask who is online, and moderate (disconnect a user, remove a user or a
/// connection from a room). Every call sends the API key as <c>Authorization: Bearer</c>, and
/// completes with the API's answer or throws <see cref="ChatException"/> with the API's
/// <c>code</c> and its HTTP status (<see cref="ChatException.HttpStatus"/>). Thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var api = new ChatApiClient(new Uri("http://127.0.0.1:8181"), Environment.GetEnvironmentVariable("CHAT_API_KEY")!);
/// var sent = await api.PublishAsync(ChatTarget.User("bob"), "billing", new { text = "Your invoice is ready" }, idempotencyKey: "invoice-42");
/// Console.WriteLine($"{sent.MessageId} reached {sent.Recipients} connections");
/// </code>
/// </example>
public sealed class ChatApiClient : IDisposable
{
    /// <summary>The media type of the API's requests and answers.</summary>
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private const int MaxIdempotencyKeyLength = 128;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue _authorization;

    /// <summary>
    /// A client that sends its requests with <paramref name="httpClient"/> (e.g. one from
    /// <c>IHttpClientFactory</c>), to the API at its <see cref="HttpClient.BaseAddress"/>, such as
    /// <c>http://gateway:8081/</c>. The HTTP client stays the caller's: disposing this one leaves it open.
    /// </summary>
    /// <param name="httpClient">The HTTP client, with the API's base address set.</param>
    /// <param name="apiKey">The API key (<c>Api:Keys:&lt;name&gt;</c> of the gateways).</param>
    /// <exception cref="ArgumentException"><paramref name="httpClient"/> has no absolute base address, or <paramref name="apiKey"/> is empty.</exception>
    public ChatApiClient(HttpClient httpClient, string apiKey)
        : this(httpClient, apiKey, ownsHttp: false)
    {
    }

    /// <summary>A client of the API at <paramref name="baseAddress"/>, e.g. <c>http://127.0.0.1:8181</c>, with an HTTP client of its own.</summary>
    /// <param name="baseAddress">The API's base address: the gateway's API port (<c>Api:Port</c>), not its public one.</param>
    /// <param name="apiKey">The API key (<c>Api:Keys:&lt;name&gt;</c> of the gateways).</param>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute http or https address, or <paramref name="apiKey"/> is empty.</exception>
    public ChatApiClient(Uri baseAddress, string apiKey)
        : this(new HttpClient { BaseAddress = CheckBase(baseAddress) }, apiKey, ownsHttp: true)
    {
    }

    private ChatApiClient(HttpClient httpClient, string apiKey, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var baseAddress = CheckBase(httpClient.BaseAddress);

        // Relative paths resolve under the base address only if it ends with a slash.
        _base = baseAddress.AbsolutePath.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _http = httpClient;
        _ownsHttp = ownsHttp;
        _authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>The API's base address the requests go under.</summary>
    public Uri BaseAddress => _base;

    /// <summary>How message bodies are serialized. Default <see cref="JsonSerializerOptions.Web"/> (camelCase), as <see cref="ChatClientOptions.SerializerOptions"/>.</summary>
    public JsonSerializerOptions SerializerOptions { get; init; } = JsonSerializerOptions.Web;

    /// <summary>
    /// Publishes <paramref name="body"/> to <paramref name="to"/> as the system sender
    /// <paramref name="from"/>: recipients get it with <c>"from":{"system":"…"}</c> (see
    /// <see cref="Events.MessageReceived.FromSystem"/>). It takes the same path as a user's message,
    /// is stored in history when sent to a user or a room, and keeps its order with the other
    /// messages published with this API key.
    /// </summary>
    /// <typeparam name="TBody">The body's type: any value <see cref="System.Text.Json"/> serializes, or a <see cref="JsonElement"/>, sent as it is.</typeparam>
    /// <param name="to">Whom it goes to: a user, a connection, a room, or everyone.</param>
    /// <param name="from">The system sender recipients see: 1-64 letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</param>
    /// <param name="body">The message body, serialized with <see cref="SerializerOptions"/>.</param>
    /// <param name="idempotencyKey">
    /// An <c>Idempotency-Key</c> (1-128 printable ASCII characters, no spaces): the same request repeated with
    /// it within the API's window is not delivered again, and answers with
    /// <see cref="PublishResult.Replayed"/> set. Use it to retry safely after a timeout or an
    /// <c>unavailable</c> that says the message may have been delivered.
    /// </param>
    /// <param name="cancellationToken">Stops waiting for the answer (the message may still be delivered).</param>
    /// <returns>The message id, how many connections it was handed to, whether it was stored, and whether the answer is a replay.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> is empty, or <paramref name="idempotencyKey"/> is empty, too long, or holds a space or anything but printable ASCII.</exception>
    /// <exception cref="ChatException">
    /// <c>bad_request</c> (400), <c>unauthorized</c> (401), <c>offline</c> (404: the user or connection
    /// has no live connection), <c>conflict</c> (409: the same idempotency key is in flight),
    /// <c>too_large</c> (413), <c>rate_limited</c> (429, with <see cref="ChatException.RetryAfter"/>),
    /// <c>unavailable</c> (503); <c>connect_failed</c> when the API could not be reached,
    /// <c>timeout</c> when it did not answer within the HTTP client's timeout.
    /// </exception>
    public async Task<PublishResult> PublishAsync<TBody>(ChatTarget to, string from, TBody body, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentException.ThrowIfNullOrEmpty(from);
        if (idempotencyKey is not null)
        {
            CheckIdempotencyKey(idempotencyKey);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(body, SerializerOptions);
        using var request = Request(HttpMethod.Post, "api/v1/publish", PublishBody(to, from, json));
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        var (answer, headers) = await SendAsync(request, cancellationToken);
        var replayed = headers.TryGetValues("Idempotent-Replayed", out var values)
            && values.Any(value => string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase));
        return Read(answer, a => new PublishResult(
            a.GetProperty("message").GetString()!,
            a.GetProperty("recipients").GetInt32(),
            a.TryGetProperty("stored", out var stored) && stored.ValueKind == JsonValueKind.True,
            replayed));
    }

    /// <summary>Whether a user is online, and with how many connections on all gateways.</summary>
    /// <param name="user">The user id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <exception cref="ChatException">See <see cref="PublishAsync{TBody}"/>.</exception>
    public async Task<UserPresence> GetUserPresenceAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        using var request = Request(HttpMethod.Get, $"api/v1/users/{Segment(user)}/presence", null);
        var (answer, _) = await SendAsync(request, cancellationToken);
        return Read(answer, a => new UserPresence(
            a.GetProperty("user").GetString()!,
            a.GetProperty("online").GetBoolean(),
            a.GetProperty("connections").GetInt32()));
    }

    /// <summary>Who is in a room: each member user once, in ordinal order; none for an empty or unknown room.</summary>
    /// <param name="room">The room name.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <exception cref="ChatException">See <see cref="PublishAsync{TBody}"/>.</exception>
    public async Task<RoomPresence> GetRoomPresenceAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        using var request = Request(HttpMethod.Get, $"api/v1/rooms/{Segment(room)}/presence", null);
        var (answer, _) = await SendAsync(request, cancellationToken);
        return Read(answer, a => new RoomPresence(
            a.GetProperty("room").GetString()!,
            [.. a.GetProperty("users").EnumerateArray().Select(member => member.GetString()!)]));
    }

    /// <summary>
    /// Closes every connection of <paramref name="user"/>, on every gateway, with close code 4000
    /// and <paramref name="reason"/>; clients do not reconnect on their own after it. Not a ban:
    /// the user may sign in again.
    /// </summary>
    /// <param name="user">The user id.</param>
    /// <param name="reason">The close reason the user's clients show (at most 123 bytes of UTF-8); the API's default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>How many connections the command reached.</returns>
    /// <exception cref="ChatException"><c>offline</c> (404) when the user has no connection; otherwise see <see cref="PublishAsync{TBody}"/>.</exception>
    public async Task<int> DisconnectUserAsync(string user, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        using var request = Request(HttpMethod.Post, $"api/v1/users/{Segment(user)}/disconnect", reason is null ? null : ReasonBody(reason));
        return Connections((await SendAsync(request, cancellationToken)).Answer);
    }

    /// <summary>
    /// Takes every connection of <paramref name="user"/> that is in <paramref name="room"/> out of
    /// it: each gets a <c>left</c> event for itself, and the other members see the user leave.
    /// The user may join again.
    /// </summary>
    /// <param name="room">The room name.</param>
    /// <param name="user">The user id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>How many of the user's connections the command reached, in the room or not.</returns>
    /// <exception cref="ChatException"><c>offline</c> (404) when the user has no connection; otherwise see <see cref="PublishAsync{TBody}"/>.</exception>
    public async Task<int> RemoveUserFromRoomAsync(string room, string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentException.ThrowIfNullOrEmpty(user);
        using var request = Request(HttpMethod.Delete, $"api/v1/rooms/{Segment(room)}/users/{Segment(user)}", null);
        return Connections((await SendAsync(request, cancellationToken)).Answer);
    }

    /// <summary>Takes one connection out of <paramref name="room"/>, as <see cref="RemoveUserFromRoomAsync"/> does for all of a user's.</summary>
    /// <param name="room">The room name.</param>
    /// <param name="connectionId">The connection's id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>1 when the connection was reached, in the room or not.</returns>
    /// <exception cref="ChatException"><c>offline</c> (404) when the connection is not live; otherwise see <see cref="PublishAsync{TBody}"/>.</exception>
    public async Task<int> RemoveConnectionFromRoomAsync(string room, string connectionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        using var request = Request(HttpMethod.Delete, $"api/v1/rooms/{Segment(room)}/connections/{Segment(connectionId)}", null);
        return Connections((await SendAsync(request, cancellationToken)).Answer);
    }

    /// <summary>Disposes the HTTP client if this client made it (<see cref="ChatApiClient(Uri, string)"/>).</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static Uri CheckBase(Uri? baseAddress)
    {
        if (baseAddress is null || !baseAddress.IsAbsoluteUri || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The server API's base address must be an absolute http:// or https:// address: {baseAddress?.ToString() ?? "none set"}", nameof(baseAddress));
        }

        return baseAddress;
    }

    private static void CheckIdempotencyKey(string key)
    {
        // Printable ASCII only: anything else could not go in a header, or could split it.
        if (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c is <= ' ' or > '~'))
        {
            throw new ArgumentException($"An idempotency key is 1-{MaxIdempotencyKeyLength} printable ASCII characters, no spaces.", nameof(key));
        }
    }

    /// <summary>A path segment, escaped: user ids may hold <c>/</c>, <c>|</c>, <c>@</c> and the like.</summary>
    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static byte[] PublishBody(ChatTarget to, string from, byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            FrameWriter.WriteTarget(writer, ClientFrames.TargetField(to.Kind), to.Value);
            writer.WriteString("from"u8, from);
            writer.WritePropertyName("body"u8);
            writer.WriteRawValue(body, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] ReasonBody(string reason)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("reason"u8, reason);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static int Connections(JsonElement answer) => Read(answer, a => a.GetProperty("connections").GetInt32());

    private static T Read<T>(JsonElement answer, Func<JsonElement, T> read)
    {
        try
        {
            return read(answer);
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ChatException(ChatErrorCodes.ProtocolError, $"the server API's answer did not have the documented shape: {answer.GetRawText()}", exception);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, byte[]? body)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Authorization = _authorization;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Json;
        }

        return request;
    }

    /// <summary>Sends a request; returns the answer's JSON (a copy, safe to keep) and its headers.</summary>
    private async Task<(JsonElement Answer, HttpResponseHeaders Headers)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        byte[] content;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout: the request may have taken effect.
            throw new ChatException(ChatErrorCodes.Timeout, $"the server API at {_base} did not answer within {_http.Timeout.TotalSeconds:0.###} s", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new ChatException(ChatErrorCodes.ConnectFailed, $"could not reach the server API at {_base}: {exception.Message}", exception);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw ApiErrors.From(response, content);
            }

            try
            {
                using var document = JsonDocument.Parse(content);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return (document.RootElement.Clone(), response.Headers);
                }
            }
            catch (JsonException exception)
            {
                throw new ChatException(ChatErrorCodes.ProtocolError, $"the server API answered HTTP {(int)response.StatusCode} with a body that is not JSON", exception);
            }

            throw new ChatException(ChatErrorCodes.ProtocolError, $"the server API answered HTTP {(int)response.StatusCode} with JSON that is not an object");
        }
    }
}
