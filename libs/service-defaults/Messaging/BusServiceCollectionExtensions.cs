using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatPlatform.ServiceDefaults.Messaging;

public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// Adds the MassTransit bus over RabbitMQ with the platform's conventions: kebab-case queue
    /// names, retries for consumers, a readiness check, a start that does not wait for the broker
    /// (the bus keeps reconnecting; readiness reports the outage meanwhile), and no usage reports
    /// to the vendor.
    /// </summary>
    public static IServiceCollection AddChatBus(this IServiceCollection services, Action<IBusRegistrationConfigurator>? configure = null)
    {
        services.AddSettings<RabbitMqOptions>(RabbitMqOptions.Section);

        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();

            // MassTransit reports usage to its vendor over the internet unless told not to; no
            // service opens a connection its operator did not configure. MASSTRANSIT_USAGE_TELEMETRY=true opts in.
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "rabbitmq";
                health.Tags.Add(HealthTags.Ready);
            });
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
                endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1000, 2000)));
            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(options.Host, options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                    host.Heartbeat(TimeSpan.FromSeconds(10));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });

        return services;
    }
}
