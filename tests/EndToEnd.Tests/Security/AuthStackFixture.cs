using System.Security.Cryptography;
using ChatPlatform.Testing;

namespace ChatPlatform.EndToEnd.Tests.Security;

/// <summary>
/// The platform as production runs it: tokens required (HS256, a secret made for this run), no
/// development users, one allowed browser origin, broadcasts on but only for admins, and no clock
/// skew so lifetimes are exact. One router, two gateways, and a third gateway in the same cluster
/// that takes RS256 tokens checked with a PEM public key. The gateways export telemetry to a
/// collector here, so tests can look for tokens where they must not be.
/// </summary>
public sealed class AuthStackFixture : ChatStackFixture
{
    public const string Issuer = "https://issuer.chat.test";
    public const string Audience = "chat-e2e";
    public const string AllowedOrigin = "https://chat.example";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("auth-e2e-");

    public AuthStackFixture()
        : this(TestTokens.NewSecret(), new OtlpCollector())
    {
    }

    private AuthStackFixture(string secret, OtlpCollector telemetry)
        : base("auth", Settings(secret, telemetry), routers: 1)
    {
        Tokens = new TestTokens(Issuer, Audience, secret);
        Telemetry = telemetry;
    }

    /// <summary>Mints tokens the HS256 gateways accept.</summary>
    public TestTokens Tokens { get; }

    public OtlpCollector Telemetry { get; }

    /// <summary>The key pair whose public half the RS256 gateway trusts.</summary>
    public RSA SigningKey { get; } = RSA.Create(2048);

    /// <summary>The PEM file the RS256 gateway reads its public key from.</summary>
    public string PublicKeyFile => Path.Combine(_keys.FullName, "public.pem");

    /// <summary>A gateway configured for RS256, sharing the stack's Redis, RabbitMQ, presence and router.</summary>
    public ServiceProcess Rs256Gateway { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(PublicKeyFile, SigningKey.ExportSubjectPublicKeyInfoPem());
        await base.InitializeAsync();
        Rs256Gateway = await StartGatewayAsync("gateway-rs256", new Dictionary<string, string?>
        {
            ["Auth__Jwt__Algorithm"] = "RS256",
            ["Auth__Jwt__PublicKeyFile"] = PublicKeyFile,
            ["Auth__Jwt__Issuer"] = Issuer,
            ["Auth__Jwt__Audience"] = Audience,
            ["Auth__Jwt__ClockSkew"] = "00:00:00",
        });
    }

    /// <summary>
    /// Starts a further gateway in the stack's cluster with its own token settings (none of the
    /// stack's), development users off and broadcasts on, and waits until it is ready. The test
    /// disposes it.
    /// </summary>
    public async Task<ServiceProcess> StartGatewayAsync(string id, IReadOnlyDictionary<string, string?> auth)
    {
        var environment = new Dictionary<string, string?>(Telemetry.Settings.Concat(Stack.ServerSettings))
        {
            ["Gateway__Id"] = id,
            ["Gateway__AllowBroadcast"] = "true",
            ["Auth__AllowDevelopmentUsers"] = "false",
        };
        foreach (var (key, value) in auth)
        {
            environment[key] = value;
        }

        var gateway = new ServiceProcess($"{Stack.Name}-{id}", "gateway", environment);
        try
        {
            gateway.Start();
            await gateway.WaitReadyAsync(ReadyTimeout);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    public static Uri GatewayUri(ServiceProcess gateway, string query = "") => new($"ws://127.0.0.1:{gateway.Port}/ws{query}");

    /// <summary>The WebSocket address of HS256 gateway <paramref name="index"/>, with a query string if given (e.g. <c>?access_token=…</c>).</summary>
    public Uri GatewayUri(int index, string query = "") => new($"ws://127.0.0.1:{Stack.Gateways[index].Port}/ws{query}");

    public Uri Rs256GatewayUri(string query = "") => GatewayUri(Rs256Gateway, query);

    /// <summary>Connects to HS256 gateway <paramref name="index"/> with <paramref name="token"/> in the Authorization header.</summary>
    public Task<TestClient> ConnectAsync(int index, string token, string? origin = null) => ConnectAsync(GatewayUri(index), token, origin);

    public static Task<TestClient> ConnectAsync(Uri uri, string token, string? origin = null) =>
        TestClient.ConnectAsync(uri, configure: options =>
        {
            options.SetRequestHeader("Authorization", $"Bearer {token}");
            if (origin is not null)
            {
                options.SetRequestHeader("Origin", origin);
            }
        });

    /// <summary>Connects to HS256 gateway <paramref name="index"/> as <paramref name="user"/> with a fresh token.</summary>
    public Task<TestClient> ConnectAsUserAsync(int index, string user, IEnumerable<string>? roles = null, IEnumerable<string>? rooms = null) =>
        ConnectAsync(index, Tokens.Create(user, roles: roles, rooms: rooms));

    public override async Task DisposeAsync()
    {
        if (Rs256Gateway is not null)
        {
            await Rs256Gateway.DisposeAsync();
        }

        await base.DisposeAsync();
        await Telemetry.DisposeAsync();
        SigningKey.Dispose();
        _keys.Delete(recursive: true);
    }

    private static Dictionary<string, string?> Settings(string secret, OtlpCollector telemetry) => new(telemetry.Settings)
    {
        ["Auth__AllowDevelopmentUsers"] = "false",
        ["Auth__AllowedOrigins__0"] = AllowedOrigin,
        ["Auth__Jwt__Algorithm"] = "HS256",
        ["Auth__Jwt__Secret"] = secret,
        ["Auth__Jwt__Issuer"] = Issuer,
        ["Auth__Jwt__Audience"] = Audience,
        ["Auth__Jwt__ClockSkew"] = "00:00:00",
        ["Gateway__AllowBroadcast"] = "true",
    };
}

[CollectionDefinition(Name)]
public sealed class AuthStackCollection : ICollectionFixture<AuthStackFixture>
{
    public const string Name = "auth-stack";
}
