// The dashboard's commands in the mocked IPC. Returns undefined for commands that are not its own.
export function handleDashboard(cmd, args, state) {
  void args;
  void state;
  switch (cmd) {
    default:
      return undefined;
  }
}
