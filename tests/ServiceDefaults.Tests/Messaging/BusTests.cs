using ChatPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatPlatform.ServiceDefaults.Tests.Messaging;

public sealed class BusTests
{
    [Fact]
    public void The_bus_sends_no_usage_reports_to_its_vendor()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddChatBus();
        using var provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
