using ChatPlatform.Client.Tests.Support;
using ChatPlatform.Testing;

namespace ChatPlatform.Client.Tests;

/// <summary>
/// The platform as the local stack runs it (presence, two routers, two gateways, sending to
/// everyone on, the default rate limits; development users allowed and HS256 tokens from
/// <see cref="Tokens"/> accepted) for the client and CLI tests. Tests that stop a service start
/// it again before they end.
/// </summary>
public sealed class ClientStackFixture : IAsyncLifetime
{
    public ChatStack Stack { get; private set; } = null!;

    /// <summary>Mints tokens the gateways accept.</summary>
    public TestTokens Tokens { get; } = new("chatplatform-client-tests", "chatplatform", TestTokens.NewSecret());

    /// <summary>The WebSocket address of gateway <paramref name="index"/>, without a user.</summary>
    public Uri GatewayUrl(int index) => new($"ws://127.0.0.1:{Stack.Gateways[index].Port}/ws");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway__AllowBroadcast"] = "true",
            ["Auth__Jwt__Algorithm"] = "HS256",
            ["Auth__Jwt__Secret"] = Tokens.Secret,
            ["Auth__Jwt__Issuer"] = Tokens.Issuer,
            ["Auth__Jwt__Audience"] = Tokens.Audience,
        };
        Stack = await ChatStack.StartAsync($"client-{Guid.NewGuid():N}"[..15], settings: settings);
    }

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }

    /// <summary>A client of gateway <paramref name="gateway"/> as <paramref name="user"/>, with its events recorded.</summary>
    public Task<RecordingClient> ConnectAsync(int gateway, string user, Action<ChatClientOptions>? configure = null) =>
        ConnectAsync([gateway], user, configure);

    /// <summary>A client that knows several gateways, the first one first.</summary>
    public Task<RecordingClient> ConnectAsync(int[] gateways, string user, Action<ChatClientOptions>? configure = null) =>
        ConnectAsync(gateways, new ChatClientOptions { User = user }, configure);

    /// <summary>A client of gateway <paramref name="gateway"/> with a token, with its events recorded.</summary>
    public Task<RecordingClient> ConnectWithTokenAsync(int gateway, string token, Action<ChatClientOptions>? configure = null) =>
        ConnectAsync([gateway], new ChatClientOptions { Token = token }, configure);

    private async Task<RecordingClient> ConnectAsync(int[] gateways, ChatClientOptions options, Action<ChatClientOptions>? configure)
    {
        options.RequestTimeout = TimeSpan.FromSeconds(20);
        foreach (var gateway in gateways)
        {
            options.Urls.Add(GatewayUrl(gateway));
        }

        configure?.Invoke(options);
        return new RecordingClient(await ChatClient.ConnectAsync(options));
    }

    /// <summary>Starts again every service a test stopped.</summary>
    public async Task RestoreAsync()
    {
        foreach (var service in Stack.Services.Where(service => !service.IsRunning))
        {
            service.Start();
            await service.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClientStackCollection : ICollectionFixture<ClientStackFixture>
{
    public const string Name = "client-stack";
}
