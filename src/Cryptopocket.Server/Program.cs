using Cryptopocket.Server.Cli;

return await CommandLine.Build().Parse(args).InvokeAsync();
