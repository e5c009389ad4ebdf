using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Cryptopocket.EndToEnd.Tests.Infrastructure;

/// <summary>What one run of the executable did: exit code and everything it printed.</summary>
public sealed record CliResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The whole run, for assertion messages.</summary>
    public override string ToString() =>
        $"$ cryptopocket {CommandLine}\nexit code {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";

    /// <summary>Asserts a zero exit code and returns the run, for chaining.</summary>
    public CliResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"Expected success.\n{this}");
        return this;
    }

    /// <summary>Stdout parsed as exactly one JSON document (one line, nothing else printed).</summary>
    public JsonElement Json()
    {
        Succeeded();
        var lines = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"Expected exactly one line of JSON on stdout.\n{this}");
        try
        {
            using var document = JsonDocument.Parse(lines[0]);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            Assert.Fail($"Stdout is not JSON ({exception.Message}).\n{this}");
            throw;
        }
    }
}

/// <summary>Runs <c>dotnet cryptopocket.dll …</c> as an operator would, with a clean environment.</summary>
public static class Cli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        using var process = new Process { StartInfo = StartInfo(workingDirectory, arguments) };
        process.Start();
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"cryptopocket {string.Join(' ', arguments)} did not exit within {timeout ?? DefaultTimeout}.\n" +
                $"--- stdout ---\n{await stdout}--- stderr ---\n{await stderr}");
        }
        return new CliResult(string.Join(' ', arguments.Select(Quote)), process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// <c>dotnet &lt;dll&gt; args</c> in <paramref name="workingDirectory"/>. Every CRYPTOPOCKET_* variable of the test run
    /// is removed so that only the arguments decide where the data lives.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(ServerExecutable.DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(ServerExecutable.DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CRYPTOPOCKET_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is ';' or '"' or '\'') ? argument : $"'{argument}'";
}
