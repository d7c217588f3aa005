using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;
using ChatPlatform.Contracts.Tests.Golden;
using ChatPlatform.Testing;
using StackExchange.Redis;

namespace ChatPlatform.Presence.Tests;

/// <summary>
/// The Lua side of the formats the registry scripts write, run in a real Redis: each codec's Lua
/// encoder must write exactly the golden bytes its C# encoder and decoder are tested against
/// (Contracts.Tests, <see cref="ScriptFormatGolden"/>).
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class ScriptEncoderTests(ServersFixture servers) : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await servers.Redis.ConnectAsync();

    public Task DisposeAsync()
    {
        _redis.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(ScriptFormatGolden.LuaRegistryChanges), MemberType = typeof(ScriptFormatGolden))]
    public async Task The_lua_registry_change_encoder_writes_the_golden_text(string golden, string call)
    {
        var written = await RunAsync(RegistryChangeCodec.LuaEncoder, call);

        Assert.Equal(golden, (string?)written);
    }

    [Theory]
    [MemberData(nameof(ScriptFormatGolden.LuaMembershipEvents), MemberType = typeof(ScriptFormatGolden))]
    public async Task The_lua_membership_event_encoder_writes_the_golden_bytes(string golden, string call)
    {
        var written = await RunAsync(DataPlaneCodec.MembershipLuaEncoder, call);

        Assert.Equal(ScriptFormatGolden.Bytes(golden), (byte[]?)written);
    }

    private Task<RedisResult> RunAsync(string encoder, string call) =>
        _redis.GetDatabase().ScriptEvaluateAsync(encoder + "return " + call);
}
