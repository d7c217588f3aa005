namespace ChatPlatform.Testing;

/// <summary>
/// The images the tests run Redis and RabbitMQ from, by their official names and tags: 7.0 and
/// 3.10, the versions Debian bookworm ships, which is what the stand-ins hold where no registry
/// answers. test.sh makes sure both are in the engine (tools/containers.sh, ensure_images).
/// </summary>
internal static class ContainerImages
{
    public const string Redis = "redis:7.0";

    public const string RabbitMq = "rabbitmq:3.10-management";
}
