using ChatPlatform.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// Remembers publishes made under an <c>Idempotency-Key</c> in Redis, so a retry to any gateway
/// within <c>Api:IdempotencyWindow</c> gets the first answer instead of a second delivery. A claim
/// holds the key only for the ack timeout and a margin: a gateway that dies mid-request frees it.
/// </summary>
internal sealed class IdempotencyStore(IConnectionMultiplexer redis, IOptions<ApiOptions> options, IOptions<GatewayOptions> gateway)
{
    public const int MaxKeyLength = 128;

    private const string InFlightMarker = "~";

    private readonly TimeSpan _claimTtl = gateway.Value.AckTimeout + TimeSpan.FromSeconds(10);

    /// <summary>An <c>Idempotency-Key</c>: 1-128 printable ASCII characters, no spaces.</summary>
    public static bool IsValidKey(ReadOnlySpan<char> key) =>
        key.Length is > 0 and <= MaxKeyLength && !key.ContainsAnyExceptInRange('!', '~');

    /// <exception cref="RedisException">Redis is unreachable.</exception>
    public async Task<IdempotencyClaim> ClaimAsync(string keyName, string idempotencyKey)
    {
        var database = redis.GetDatabase();
        var name = RedisNames.Idempotency(keyName, idempotencyKey);

        // Twice: the first answer or the claim may expire between the two commands.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await database.StringSetAsync(name, InFlightMarker, _claimTtl, When.NotExists))
            {
                return IdempotencyClaim.Claimed;
            }

            var value = await database.StringGetAsync(name);
            if (value.IsNull)
            {
                continue;
            }

            if (value == InFlightMarker)
            {
                return IdempotencyClaim.InFlight;
            }

            var answer = (string)value!;
            var space = answer.IndexOf(' ', StringComparison.Ordinal);
            return IdempotencyClaim.Replay(int.Parse(answer.AsSpan(0, space), System.Globalization.CultureInfo.InvariantCulture), answer[(space + 1)..]);
        }

        return IdempotencyClaim.InFlight;
    }

    /// <summary>Keeps the answer for the rest of the window: the message was, or may have been, delivered.</summary>
    public Task RememberAsync(string keyName, string idempotencyKey, int status, string json) =>
        redis.GetDatabase().StringSetAsync(
            RedisNames.Idempotency(keyName, idempotencyKey),
            $"{status.ToString(System.Globalization.CultureInfo.InvariantCulture)} {json}",
            options.Value.IdempotencyWindow);

    /// <summary>Frees the key: the message was not sent, so a retry may send it.</summary>
    public Task ForgetAsync(string keyName, string idempotencyKey) =>
        redis.GetDatabase().KeyDeleteAsync(RedisNames.Idempotency(keyName, idempotencyKey));
}
