using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.ServiceDefaults.Redis;

/// <summary>Configuration section <c>Redis</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=...</c>. The
    /// protocol is always RESP2; <c>protocol=resp3</c> is refused at start-up.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "127.0.0.1:6379";
}
