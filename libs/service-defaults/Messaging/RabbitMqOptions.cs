using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.ServiceDefaults.Messaging;

/// <summary>Configuration section <c>RabbitMq</c>: the broker MassTransit connects to.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    [Required]
    public string Password { get; set; } = "guest";
}
