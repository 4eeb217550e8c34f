using Clientele.Cli;

return await CommandLine.Build().Parse(args).InvokeAsync();
