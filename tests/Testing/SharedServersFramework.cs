using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ChatPlatform.Testing;

/// <summary>
/// xunit's own test framework, and the end of <see cref="SharedServers"/>: when a test
/// assembly's tests have all run, the servers they shared are removed (a failure to remove them
/// is reported as the assembly's cleanup failure). xunit 2 has no assembly fixtures; its test
/// assembly runner is where an assembly's run ends. An assembly that uses the shared servers says
/// <c>[assembly: TestFramework(SharedServersFramework.TypeName, SharedServersFramework.AssemblyName)]</c>.
/// </summary>
public sealed class SharedServersFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string TypeName = "ChatPlatform.Testing.SharedServersFramework";

    public const string AssemblyName = "ChatPlatform.Testing";

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // As the base class does it: the runner reports its results through the message sink.
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task AfterTestAssemblyStartingAsync()
        {
            await base.AfterTestAssemblyStartingAsync();
            SharedServers.Open();
        }

        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await Aggregator.RunAsync(SharedServers.CloseAsync);
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
