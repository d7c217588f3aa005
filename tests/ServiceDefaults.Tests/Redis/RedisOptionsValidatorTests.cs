using ChatPlatform.ServiceDefaults.Redis;

namespace ChatPlatform.ServiceDefaults.Tests.Redis;

public sealed class RedisOptionsValidatorTests
{
    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("redis:6379,password=secret,ssl=true")]
    [InlineData("redis:6379,protocol=resp2")]
    public void Usable_connection_strings_pass(string connectionString) =>
        Assert.True(new RedisOptionsValidator().Validate(null, new RedisOptions { ConnectionString = connectionString }).Succeeded);

    [Theory]
    [InlineData("redis:6379,protocol=resp3", "protocol=resp3")]
    [InlineData("redis:6379,connectTimeout=soon", "not a valid StackExchange.Redis configuration string")]
    public void Unusable_connection_strings_are_refused_saying_why(string connectionString, string reason)
    {
        var result = new RedisOptionsValidator().Validate(null, new RedisOptions { ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains(reason, result.FailureMessage);
    }
}
