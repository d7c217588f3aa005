using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.ServiceDefaults.Tests.Hosting;

public sealed class RunServiceTests
{
    [Fact]
    public void Settings_that_fail_validation_end_the_service_with_exit_code_1_and_name_them()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOptions<RequiredSettings>().ValidateDataAnnotations().ValidateOnStart();
        var app = builder.Build();

        var error = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(error);
        int exitCode;
        try
        {
            exitCode = app.RunService();
        }
        finally
        {
            Console.SetError(standardError);
        }

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Invalid settings (RequiredSettings): ", error.ToString());
        Assert.Contains("Name", error.ToString());
    }

    private sealed class RequiredSettings
    {
        [Required]
        public string? Name { get; set; }
    }
}
