#!/usr/bin/env python3
"""Checks FieldBridge's Tauri configuration against the schema of the Tauri CLI in ui/.

Tauri merges `tauri.<platform>.conf.json` into `tauri.conf.json` as a JSON Merge Patch
(RFC 7396) at build time. This script does the same for Linux and Windows and validates
each result (and the base file) with the JSON schema shipped in @tauri-apps/cli
(ui/node_modules/@tauri-apps/cli/config.schema.json, draft-07; its objects allow no
unknown keys, so a misspelt or invented key fails here rather than on the Windows runner).
It then checks what the schema cannot: every file the bundle section names exists, the
version is left to src-tauri/Cargo.toml, the Windows installers are the per-user NSIS one and
the MSI, and the NSIS hooks file defines only hooks Tauri's installer calls.

Usage: python3 installer/check-config.py   (after `npm --prefix ui ci`; needs jsonschema,
python3-jsonschema on Debian). Exit 0 when all is well; otherwise every problem is printed.
"""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC_TAURI = ROOT / "src-tauri"
SCHEMA = ROOT / "ui/node_modules/@tauri-apps/cli/config.schema.json"
PLATFORMS = ("linux", "windows")
# The hooks Tauri's NSIS template inserts (bundle > windows > nsis > installerHooks docs).
NSIS_HOOKS = {
    "NSIS_HOOK_PREINSTALL",
    "NSIS_HOOK_POSTINSTALL",
    "NSIS_HOOK_PREUNINSTALL",
    "NSIS_HOOK_POSTUNINSTALL",
    "NSIS_HOOK_PREFINISHPAGE",
}


def merge_patch(target, patch):
    """RFC 7396: objects merge key by key, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def reasons(error):
    """The errors that explain `error`. For "not valid under any of" (anyOf/oneOf, e.g. an
    object or null), the failures inside the branches, leaving out the mere type mismatches
    of branches that were never meant (null), which say nothing useful."""
    if not error.context:
        return [error]
    leaves = [leaf for e in error.context for leaf in reasons(e)]
    meant = [leaf for leaf in leaves if leaf.validator != "type"]
    return meant or leaves


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    try:
        import jsonschema
    except ImportError:
        print("check-config: python jsonschema is missing (apt install python3-jsonschema)")
        return 1
    if not SCHEMA.is_file():
        print(f"check-config: {SCHEMA} is missing; run `npm --prefix ui ci` first")
        return 1
    schema = load(SCHEMA)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)

    problems = []
    base = load(SRC_TAURI / "tauri.conf.json")
    configs = {"tauri.conf.json": base}
    for platform in PLATFORMS:
        name = f"tauri.{platform}.conf.json"
        configs[f"tauri.conf.json + {name}"] = merge_patch(base, load(SRC_TAURI / name))

    for label, config in configs.items():
        for error in sorted(validator.iter_errors(config), key=lambda e: list(e.path)):
            for leaf in reasons(error):
                where = "/".join(str(p) for p in leaf.absolute_path) or "(top level)"
                problems.append(f"{label}: {where}: {leaf.message}")
        if "version" in config:
            problems.append(
                f"{label}: has a `version`; the version is set only in src-tauri/Cargo.toml"
            )
        bundle = config.get("bundle", {})
        for icon in bundle.get("icon", []):
            if not (SRC_TAURI / icon).is_file():
                problems.append(f"{label}: bundle.icon {icon} does not exist")

    linux = configs["tauri.conf.json + tauri.linux.conf.json"]["bundle"]
    if linux.get("targets") != ["deb"]:
        problems.append(f"linux bundle.targets must be [\"deb\"], found {linux.get('targets')}")

    windows = configs["tauri.conf.json + tauri.windows.conf.json"]["bundle"]
    if sorted(windows.get("targets", [])) != ["msi", "nsis"]:
        problems.append(
            f"windows bundle.targets must be nsis and msi, found {windows.get('targets')}"
        )
    nsis = windows.get("windows", {}).get("nsis", {})
    if nsis.get("installMode") != "currentUser":
        problems.append(
            "windows nsis.installMode must be currentUser (installs without administrator "
            f"rights), found {nsis.get('installMode')}"
        )
    for key in ("installerIcon", "installerHooks"):
        if key in nsis and not (SRC_TAURI / nsis[key]).is_file():
            problems.append(f"windows nsis.{key} {nsis[key]} does not exist")
    if "installerHooks" in nsis:
        hooks_text = (SRC_TAURI / nsis["installerHooks"]).read_text(encoding="utf-8")
        defined = set(re.findall(r"^\s*!macro\s+(\S+)", hooks_text, re.MULTILINE))
        unknown = defined - NSIS_HOOKS
        if unknown:
            problems.append(f"{nsis['installerHooks']}: macros Tauri never calls: {unknown}")
        if "NSIS_HOOK_POSTINSTALL" not in defined:
            problems.append(
                f"{nsis['installerHooks']}: NSIS_HOOK_POSTINSTALL (start at login) is missing"
            )
        code = [line for line in hooks_text.splitlines() if not line.lstrip().startswith(";")]
        if any("HKLM" in line for line in code):
            problems.append(f"{nsis['installerHooks']}: writes HKLM; start at login is per user")
        if "NSIS_HOOK_PREUNINSTALL" not in defined:
            problems.append(
                f"{nsis['installerHooks']}: NSIS_HOOK_PREUNINSTALL (database backup, no data "
                "deletion during an update) is missing"
            )
    webview = windows.get("windows", {}).get("webviewInstallMode", {})
    if webview.get("type") != "offlineInstaller":
        problems.append(
            "windows webviewInstallMode must be offlineInstaller (installs WebView2 without "
            "internet: Windows Server/RDS and LTSC hosts lack it), found "
            f"{webview.get('type', 'the default, downloadBootstrapper')}"
        )
    wix = windows.get("windows", {}).get("wix", {})
    defined_components = set()
    for fragment in wix.get("fragmentPaths", []):
        path = SRC_TAURI / fragment
        if not path.is_file():
            problems.append(f"windows wix.fragmentPaths {fragment} does not exist")
            continue
        text = path.read_text(encoding="utf-8")
        defined_components |= set(re.findall(r'<Component\s+Id="([^"]+)"', text))
        if re.search(r'Root="HKLM"', text):
            problems.append(f"{fragment}: writes HKLM; start at login is per user (HKCU) only")
    for ref in wix.get("componentRefs", []):
        if ref not in defined_components:
            problems.append(f"windows wix.componentRefs {ref} is defined in no fragment")
    if "FieldBridgeStartAtLogin" not in wix.get("componentRefs", []):
        problems.append("windows wix: the start-at-login component is not referenced")
    if not re.fullmatch(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", wix.get("upgradeCode", "")):
        problems.append(
            "windows wix.upgradeCode must be a fixed GUID (a newer .msi replaces an older one "
            f"only when it is the same), found {wix.get('upgradeCode')}"
        )

    for p in problems:
        print(f"check-config: {p}")
    if problems:
        return 1
    print(f"check-config: {', '.join(configs)}: valid against {SCHEMA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
