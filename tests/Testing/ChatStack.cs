namespace ChatPlatform.Testing;

/// <summary>
/// The whole platform on loopback: a Redis and a RabbitMQ process, presence, routers and
/// gateways as real service processes.
/// </summary>
public sealed class ChatStack : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private ChatStack(string name, RedisServer redis, RabbitMqServer rabbitMq, IReadOnlyList<ServiceProcess> presences, IReadOnlyList<ServiceProcess> routers, IReadOnlyList<ServiceProcess> gateways)
    {
        Name = name;
        Redis = redis;
        RabbitMq = rabbitMq;
        Presences = presences;
        Routers = routers;
        Gateways = gateways;
    }

    public string Name { get; }

    public RedisServer Redis { get; }

    public RabbitMqServer RabbitMq { get; }

    /// <summary>Presence replicas: competing consumers of the same queues.</summary>
    public IReadOnlyList<ServiceProcess> Presences { get; }

    public IReadOnlyList<ServiceProcess> Routers { get; }

    public IReadOnlyList<ServiceProcess> Gateways { get; }

    public IEnumerable<ServiceProcess> Services => [.. Presences, .. Routers, .. Gateways];

    /// <param name="settings">Configuration for every service, as environment variables (e.g. <c>Presence__GatewayTtl</c>).</param>
    public static async Task<ChatStack> StartAsync(string name, int routers = 2, int gateways = 2, IReadOnlyDictionary<string, string?>? settings = null, int presences = 1)
    {
        var (redis, rabbitMq) = await ServersFixture.StartServersAsync(name);

        Dictionary<string, string?> Environment(params (string Key, string Value)[] extra)
        {
            // Development users unless a test configures tokens: most tests connect as ?user=NAME.
            var environment = new Dictionary<string, string?> { ["Auth__AllowDevelopmentUsers"] = "true" };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                environment[key] = value;
            }

            foreach (var (key, value) in new Dictionary<string, string?>
            {
                ["Redis__ConnectionString"] = redis.ConnectionString,
                ["RabbitMq__Host"] = "127.0.0.1",
                ["RabbitMq__Port"] = rabbitMq.Port.ToString(),
            })
            {
                environment[key] = value;
            }

            foreach (var (key, value) in extra)
            {
                environment[key] = value;
            }

            return environment;
        }

        var presenceProcesses = Enumerable.Range(1, presences)
            .Select(n => new ServiceProcess($"{name}-presence-{n}", "presence", Environment()))
            .ToList();
        var routerProcesses = Enumerable.Range(1, routers)
            .Select(n => new ServiceProcess($"{name}-router-{n}", "router", Environment(("Router__Id", $"router-{n}"))))
            .ToList();
        var gatewayProcesses = Enumerable.Range(1, gateways)
            .Select(n => new ServiceProcess($"{name}-gateway-{n}", "gateway", Environment(("Gateway__Id", $"gateway-{n}"))))
            .ToList();

        var stack = new ChatStack(name, redis, rabbitMq, presenceProcesses, routerProcesses, gatewayProcesses);
        try
        {
            foreach (var service in stack.Services)
            {
                service.Start();
            }

            await Task.WhenAll(stack.Services.Select(service => service.WaitReadyAsync(ReadyTimeout)));
            return stack;
        }
        catch
        {
            // Nobody else will stop what was started.
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>The WebSocket address of gateway <paramref name="index"/> (0-based) for a user.</summary>
    public Uri GatewayUri(int index, string user) =>
        new($"ws://127.0.0.1:{Gateways[index].Port}/ws?user={Uri.EscapeDataString(user)}");

    public Task<TestClient> ConnectAsync(int gateway, string user, IEnumerable<string>? ignoredTypes = null) =>
        TestClient.ConnectAsync(GatewayUri(gateway, user), ignoredTypes: ignoredTypes);

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Services.Reverse())
        {
            await service.DisposeAsync();
        }

        await RabbitMq.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
