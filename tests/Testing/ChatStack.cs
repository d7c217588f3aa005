namespace ChatPlatform.Testing;

/// <summary>
/// The whole platform on loopback: presence, routers and gateways as real service processes,
/// on Redis and RabbitMQ containers.
/// </summary>
public sealed class ChatStack : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How many stacks run on the shared servers now: their services use fixed names in Redis, so at most one.</summary>
    private static int _onSharedServers;

    private readonly bool _ownServers;

    private ChatStack(string name, RedisServer redis, RabbitMqServer rabbitMq, bool ownServers, IReadOnlyDictionary<string, string?> serverSettings, IReadOnlyList<ServiceProcess> presences, IReadOnlyList<ServiceProcess> routers, IReadOnlyList<ServiceProcess> gateways)
    {
        Name = name;
        Redis = redis;
        RabbitMq = rabbitMq;
        _ownServers = ownServers;
        ServerSettings = serverSettings;
        Presences = presences;
        Routers = routers;
        Gateways = gateways;
    }

    public string Name { get; }

    public RedisServer Redis { get; }

    public RabbitMqServer RabbitMq { get; }

    /// <summary>Where the services find Redis and RabbitMQ, as environment variables: for a service a test adds to the stack.</summary>
    public IReadOnlyDictionary<string, string?> ServerSettings { get; }

    /// <summary>Presence replicas: competing consumers of the same queues.</summary>
    public IReadOnlyList<ServiceProcess> Presences { get; }

    public IReadOnlyList<ServiceProcess> Routers { get; }

    public IReadOnlyList<ServiceProcess> Gateways { get; }

    public IEnumerable<ServiceProcess> Services => [.. Presences, .. Routers, .. Gateways];

    /// <param name="settings">Configuration for every service, as environment variables (e.g. <c>Presence__GatewayTtl</c>).</param>
    /// <param name="ownServers">
    /// A Redis and a RabbitMQ of the stack's own, for tests that kill, stop or pause them. Otherwise
    /// the stack runs on the assembly's <see cref="SharedServers"/>, one stack at a time: Redis
    /// flushed, and a virtual host of its own.
    /// </param>
    public static async Task<ChatStack> StartAsync(string name, int routers = 2, int gateways = 2, IReadOnlyDictionary<string, string?>? settings = null, int presences = 1, bool ownServers = false)
    {
        var (redis, rabbitMq, virtualHost) = ownServers ? await StartOwnServersAsync(name) : await UseSharedServersAsync(name);
        var serverSettings = new Dictionary<string, string?>
        {
            ["Redis__ConnectionString"] = redis.ConnectionString,
            ["RabbitMq__Host"] = rabbitMq.Host,
            ["RabbitMq__Port"] = rabbitMq.Port.ToString(),
            ["RabbitMq__VirtualHost"] = virtualHost,
            ["RabbitMq__Username"] = RabbitMqServer.Username,
            ["RabbitMq__Password"] = RabbitMqServer.Password,
        };

        Dictionary<string, string?> Environment(params (string Key, string Value)[] extra)
        {
            // Development users unless a test configures tokens: most tests connect as ?user=NAME.
            var environment = new Dictionary<string, string?>
            {
                ["Auth__AllowDevelopmentUsers"] = "true",
                [$"Api__Keys__{ApiKeyName}"] = ApiKey,
            };
            foreach (var (key, value) in (settings ?? new Dictionary<string, string?>()).Concat(serverSettings))
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

        var stack = new ChatStack(name, redis, rabbitMq, ownServers, serverSettings, presenceProcesses, routerProcesses, gatewayProcesses);
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

    /// <summary>The name of the server API key every stack's gateways accept, <see cref="ApiKey"/>.</summary>
    public const string ApiKeyName = "tests";

    /// <summary>A server API key every stack's gateways accept (docs/api.md).</summary>
    public const string ApiKey = "tests-api-key-0123456789abcdefghijklmnop";

    /// <summary>An HTTP client for gateway <paramref name="index"/>'s server API, with <see cref="ApiKey"/> unless told otherwise.</summary>
    public HttpClient ApiClient(int index, string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = Gateways[index].ApiAddress, Timeout = TimeSpan.FromSeconds(20) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
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

        if (_ownServers)
        {
            await Task.WhenAll(RabbitMq.DisposeAsync().AsTask(), Redis.DisposeAsync().AsTask());
        }
        else
        {
            Interlocked.Decrement(ref _onSharedServers);
        }
    }

    /// <summary>Starts both servers side by side; if either fails, removes the other.</summary>
    private static async Task<(RedisServer, RabbitMqServer, string VirtualHost)> StartOwnServersAsync(string name)
    {
        var redis = RedisServer.StartAsync($"{name}-redis");
        var rabbitMq = RabbitMqServer.StartAsync($"{name}-rabbitmq");
        try
        {
            await Task.WhenAll(redis, rabbitMq);
            return (redis.Result, rabbitMq.Result, "/");
        }
        catch
        {
            if (redis.IsCompletedSuccessfully)
            {
                await redis.Result.DisposeAsync();
            }

            if (rabbitMq.IsCompletedSuccessfully)
            {
                await rabbitMq.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The shared servers, cleared of what an earlier stack left there.</summary>
    private static async Task<(RedisServer, RabbitMqServer, string VirtualHost)> UseSharedServersAsync(string name)
    {
        if (Interlocked.Increment(ref _onSharedServers) != 1)
        {
            Interlocked.Decrement(ref _onSharedServers);
            throw new InvalidOperationException(
                "Another stack runs on the shared servers. Run the assembly's test collections one at a time, or give this stack servers of its own.");
        }

        try
        {
            var redis = SharedServers.RedisAsync();
            var rabbitMq = SharedServers.RabbitMqAsync();
            await Task.WhenAll(redis, rabbitMq);
            await redis.Result.FlushAllAsync();
            await rabbitMq.Result.AddVirtualHostAsync(name);
            return (redis.Result, rabbitMq.Result, name);
        }
        catch
        {
            Interlocked.Decrement(ref _onSharedServers);
            throw;
        }
    }
}
