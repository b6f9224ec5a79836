"""slack/manifest.yml asks for exactly the commands and scopes the code uses."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from briefing.slackbot import BotSettings

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "slack" / "manifest.yml"
# Web API methods (as slack_sdk names them) and the bot scope each needs.
SCOPE_OF = {
    "chat_postMessage": "chat:write",
    "files_upload_v2": "files:write",
}


def _client_methods(path: Path) -> set[str]:
    """Every ``client.<method>(...)`` call in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "client"
        ):
            found.add(node.func.attr)
    return found


def _registers_commands(path: Path) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "command"
        for node in ast.walk(ast.parse(path.read_text()))
    )


def test_slack_manifest_matches_the_code() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    modules = [ROOT / "briefing" / "slackbot.py", ROOT / "briefing" / "post.py"]
    methods = set().union(*(_client_methods(m) for m in modules))
    unknown = methods - set(SCOPE_OF)
    assert not unknown, f"add the scope for {unknown} to SCOPE_OF and the manifest"
    needed = {SCOPE_OF[m] for m in methods}
    if _registers_commands(modules[0]):
        needed.add("commands")
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [BotSettings.model_fields["command"].default]
    socket_mode = "SocketModeHandler" in (ROOT / "briefing" / "slackbot.py").read_text()
    assert manifest["settings"]["socket_mode_enabled"] is socket_mode


def test_slack_manifest_parser_sees_calls(tmp_path: Path) -> None:
    # The check above is only as good as the call finder: it must see a new method.
    module = tmp_path / "bot.py"
    module.write_text(
        "def f(client):\n    client.chat_postMessage(channel='C')\n    client.reactions_add(name='x')\n"
    )
    assert _client_methods(module) == {"chat_postMessage", "reactions_add"}
    assert not _registers_commands(module)
