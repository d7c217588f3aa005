using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatPlatform.ServiceDefaults.Redis;

/// <summary>Refuses a connection string the client cannot parse, or one that asks for RESP3.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(options.ConnectionString);
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail($"Redis:ConnectionString is not a valid StackExchange.Redis configuration string: {exception.Message}");
        }

        return parsed.Protocol is RedisProtocol.Resp3
            ? ValidateOptionsResult.Fail("Redis:ConnectionString asks for protocol=resp3; ChatPlatform runs Redis on RESP2 (docs/architecture.md, \"Redis\"). Remove the protocol setting.")
            : ValidateOptionsResult.Success;
    }
}
