"""The fake Slack's file upload in two calls, as strict as Slack's: an upload URL for a file that is not empty, the
bytes sent to it (exactly the length declared: `upload_store`), then `files.completeUploadExternal` once, sharing
the file where a post could go (`access`)."""

import json

from bot.fakeslack.methods import Answer, Args, method
from bot.fakeslack.state import SlackState


@method("files.getUploadURLExternal")
def files_get_upload_url_external(state: SlackState, args: Args) -> Answer:
    """An empty file is refused: `missing_argument`, "typically only occurs when the length provided is 0"
    (https://docs.slack.dev/reference/methods/files.getUploadURLExternal)."""
    if not args.get("filename") or not str(args.get("length", "")).isdigit():
        return {"ok": False, "error": "invalid_arguments"}
    if int(str(args["length"])) == 0:
        return {"ok": False, "error": "missing_argument"}
    if len(str(args.get("alt_txt") or "")) > 1000:  # "longer than the limit of 1000 character"
        return {"ok": False, "error": "alt_txt_too_large"}
    file_id = f"F{state.next_id():08d}"
    state.uploads.issue(file_id, int(str(args["length"])))
    return {"ok": True, "upload_url": f"{state.base_url}/upload/{file_id}", "file_id": file_id}


@method("files.completeUploadExternal")
def files_complete_upload_external(state: SlackState, args: Args) -> Answer:
    files = args.get("files")
    files = json.loads(files) if isinstance(files, str) else files or []
    if not files or any(state.uploads.get(f["id"]) is None for f in files):
        return {"ok": False, "error": "file_not_found"}
    if not state.uploads.share([f["id"] for f in files]):  # "This method can only be called once."
        return {"ok": False, "error": "file_not_found"}
    return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
