/* Generated from the studio's OpenAPI document (server/openapi_document.py) by `npm run --prefix canvas_frontend generate:api`. Do not edit. */

import type * as contracts from "../types/contracts";
export interface paths {
    "/api/v1/models/{name}/pull": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pull Model
         * @description Download, hash-check and install a model (`studio models pull`, run by a worker): follow it in the tasks
         *     panel (GET /api/v1/tasks, server:task_progress in the studio room), cancel it like any task.
         */
        post: operations["pull_model"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/node-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Node Types */
        get: operations["list_node_types"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Pipelines */
        get: operations["list_pipelines"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Projects
         * @description The projects you own or collaborate on, most recently changed first.
         */
        get: operations["list_projects"];
        put?: never;
        /** Create Project */
        post: operations["create_project"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Project */
        get: operations["get_project"];
        /** Save Project */
        put: operations["save_project"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/assemble": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Assemble */
        post: operations["assemble"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Assets
         * @description The project's characters, styles and props, by kind then name.
         */
        get: operations["list_assets"];
        put?: never;
        /** Create Asset */
        post: operations["create_asset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/assets/{asset_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Asset */
        get: operations["get_asset"];
        /** Update Asset */
        put: operations["update_asset"];
        post?: never;
        /** Delete Asset */
        delete: operations["delete_asset"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/assets/{asset_id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add Reference Images
         * @description Reference images, many at once; each is decoded and checked like an upload, and all are committed in one
         *     commit (or none, when one is refused).
         */
        post: operations["add_reference_images"];
        /** Remove Reference Image */
        delete: operations["remove_reference_image"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/assets/{asset_id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Promote Asset
         * @description Copy the asset, with its images and trained versions, into the workspace Library for other projects.
         */
        post: operations["promote_asset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/assets/{asset_id}/train": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Train Asset
         * @description Train the asset's next LoRA version (tasks.assets.train_lora); refused with what is missing when it cannot
         *     be trained yet. Follow it like any task (its events name the asset's uuid as their node).
         */
        post: operations["train_asset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/files/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get File */
        get: operations["get_file"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/library/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Library Assets
         * @description The assets promoted to the workspace Library, which this project may import.
         */
        get: operations["list_library_assets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/library/assets/{asset_id}/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import Library Asset
         * @description Copy a Library asset (asset.json, reference images, trained versions) into the project as one commit; its
         *     name and trigger word must be free in the project (409 with a sentence when they are not).
         */
        post: operations["import_library_asset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/library/assets/{asset_id}/thumbnail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Library Asset Thumbnail
         * @description A Library asset's thumbnail (its newest sample, else its first reference image, scaled down), for a
         *     project its user may read.
         */
        get: operations["get_library_asset_thumbnail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Members
         * @description Everyone with access: the owner first, then the collaborators by username.
         */
        get: operations["list_members"];
        /** Set Member */
        put: operations["set_member"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/members/{username}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove Member */
        delete: operations["remove_member"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/nodes/{node_id}/renders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Node Renders
         * @description The node's final renders, newest first, each its own file: what a VSE Assembler shows after a reload.
         */
        get: operations["list_node_renders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Project Queue */
        get: operations["get_project_queue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/queue/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause Project Queue
         * @description Hold the project's queued tasks (running ones finish); editors.
         */
        post: operations["pause_project_queue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/queue/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume Project Queue */
        post: operations["resume_project_queue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/sequences/{node_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export Sequence
         * @description Writes and commits the Sequence's .edl, .otio and .xml to 04_Project_Files/EDLs/.
         */
        post: operations["export_sequence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/sequences/{node_id}/export.{format}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Sequence Export
         * @description The Sequence as it is now in the live graph, as an .edl, .otio or .xml download, generated on demand (nothing
         *     is written or committed; POST …/export commits all three). Viewers may download.
         */
        get: operations["download_sequence_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/sequences/{node_id}/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import Sequence
         * @description An edited .edl, .otio or .xml onto the Sequence: with dry_run, the preview of what would change (matched and
         *     unmatched clips, new trims, order); without, applied as one graph edit on `version` (409 when the graph moved on
         *     since, 422 when a clip matches no take).
         */
        post: operations["import_sequence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/takes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Node Takes
         * @description The node's takes, read from its render folder (PRD §3.3), oldest first.
         */
        get: operations["list_node_takes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/takes/by-node": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Takes By Node
         * @description Every node's takes by node id, nodes without takes left out: a canvas opening asks once, not once
         *     per node (650 shots cost 650 requests, each parsing the whole graph: seconds of server time).
         */
        get: operations["list_takes_by_node"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Project Tasks
         * @description The project's tasks (any member): running, then queued in the order they will run, then finished.
         */
        get: operations["list_project_tasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create Template */
        post: operations["create_template"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/templates/inspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Inspect Workflow File */
        post: operations["inspect_workflow_file"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/training/base-models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Training Base Models
         * @description The base models this project's assets can be trained on, the default first, each with whether its training
         *     pipeline can run here now (its weights in the model store, its image built) and the command that fixes what
         *     is missing.
         */
        get: operations["list_training_base_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload Source Media */
        post: operations["upload_source_media"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate Project Graph */
        post: operations["validate_project_graph"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/system/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * System Health
         * @description Server paths and addresses are for admins: others learn what is wrong, not where the server keeps it.
         */
        get: operations["system_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/system/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Workers
         * @description Workers that announced themselves within the last heartbeats, by id: their GPUs (VRAM free and used),
         *     queues, heartbeat age and the tasks they run now.
         */
        get: operations["list_workers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List All Tasks
         * @description Every project's tasks (administrators): running, then queued in the order they will run, then finished.
         */
        get: operations["list_all_tasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Task */
        get: operations["get_task"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel Task */
        post: operations["cancel_task"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/move_to_front": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move Task To Front
         * @description Run this queued task before every other queued task of its project (editors).
         */
        post: operations["move_task_to_front"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{task_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry Task */
        post: operations["retry_task"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/generate_shot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generate Shot */
        post: operations["generate_shot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Tokens
         * @description Your tokens, oldest first (never their secrets).
         */
        get: operations["list_tokens"];
        put?: never;
        /** Create Token */
        post: operations["create_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke Token */
        delete: operations["revoke_token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Current User */
        get: operations["current_user"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change Password
         * @description Ends every session of the account, this one included: sign in again with the new password.
         */
        put: operations["change_password"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me/sign-out-everywhere": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign Out Everywhere
         * @description Every access token issued to you until now is refused and your open canvases close; personal access
         *     tokens for git are not affected (revoke them with DELETE /api/v1/tokens/{id}).
         */
        post: operations["sign_out_everywhere"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Login */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Healthz
         * @description The process is alive and answers; nothing else is checked.
         */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Metrics
         * @description Tasks, queues, workers, sockets, git/LFS bytes and HTTP latency; see the README's Operations section.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readyz
         * @description Ready to serve work: the database and Redis answer, git-lfs is installed, and at least one worker is live.
         */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AccessTokenCreated */
        AccessTokenCreated: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /** Id */
            id: number;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            scope: components["schemas"]["TokenScope"];
            /**
             * Token
             * @description The secret, shown once: use it as the password for git over HTTP.
             */
            token: string;
        };
        /** AccessTokenPublic */
        AccessTokenPublic: {
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
            /** Id */
            id: number;
            /** Last Used At */
            last_used_at: string | null;
            /** Name */
            name: string;
            scope: components["schemas"]["TokenScope"];
        };
        /** AssembleRequest */
        AssembleRequest: {
            /**
             * Node Id
             * @description A Sequence or VSE Assembler node.
             */
            node_id?: string | null;
        };
        /**
         * Asset
         * @description 01_Assets/Generative_Assets/<Characters|Styles|Props>/<folder>/asset.json: a character, style or prop of the project (PRD §5.3), its reference images (LFS, in refs/ beside this file) and its trained LoRA versions (loras/<folder>_vNN.safetensors + sidecar, immutable).
         */
        Asset: contracts.Asset;
        /** AssetCreate */
        AssetCreate: {
            /**
             * Description
             * @default
             */
            description?: string;
            kind: components["schemas"]["AssetKind"];
            /**
             * Name
             * @example Mara Voss
             */
            name: string;
            /**
             * Trigger Word
             * @example sks_mara
             */
            trigger_word: string;
        };
        /**
         * AssetKind
         * @enum {string}
         */
        AssetKind: contracts.AssetKind;
        /** AssetPromoted */
        AssetPromoted: {
            /**
             * Library Path
             * @description Where it is now, in the workspace Library.
             * @example Assets/Characters/Mara_Voss
             */
            library_path: string;
        };
        /** AssetPublic */
        AssetPublic: {
            asset: components["schemas"]["Asset"];
            /**
             * Folder
             * @description The asset's folder in the project; its files (`asset.reference_images[].file`, `asset.versions[].file`) are served by the files route under it.
             * @example 01_Assets/Generative_Assets/Characters/Mara_Voss
             */
            folder: string;
        };
        /** AssetUpdate */
        AssetUpdate: {
            /**
             * Captions
             * @description Reference image file (as `asset.reference_images[].file`) -> caption; '' clears it.
             */
            captions?: {
                [key: string]: string;
            } | null;
            /** Description */
            description?: string | null;
            /** Name */
            name?: string | null;
            /** Trigger Word */
            trigger_word?: string | null;
        };
        /** AssetVersion */
        AssetVersion: contracts.AssetVersion;
        /**
         * AudioPlacement
         * @description A node on the Audio input: where its take starts on the sequence (frames; negative skips its head).
         */
        AudioPlacement: {
            /**
             * Offset
             * @default 0
             */
            offset?: number;
            take: components["schemas"]["TakeRef"];
            /**
             * Volume
             * @default 1
             */
            volume?: number;
        };
        /** AvailabilityProblem */
        AvailabilityProblem: contracts.AvailabilityProblem;
        BindingsAdditionalProperty: components["schemas"]["NodeInput"][];
        /** Body_import_sequence */
        Body_import_sequence: {
            /** File */
            file?: string | null;
        };
        /** Body_login */
        Body_login: {
            /** Client Id */
            client_id?: string | null;
            /**
             * Client Secret
             * Format: password
             */
            client_secret?: string | null;
            /** Grant Type */
            grant_type?: string | null;
            /**
             * Password
             * Format: password
             */
            password: string;
            /**
             * Scope
             * @default
             */
            scope?: string;
            /** Username */
            username: string;
        };
        /** CanvasEdge */
        CanvasEdge: contracts.CanvasEdge;
        /**
         * CanvasGraph
         * @description The Production Canvas graph in Svelte Flow's own shape (ARCHITECTURE §5): the canvas file and the live graph.
         */
        CanvasGraph: contracts.CanvasGraph;
        /** CanvasNode */
        CanvasNode: contracts.CanvasNode;
        /**
         * Category
         * @description Palette category.
         * @enum {string}
         */
        Category: "Generate" | "Animate" | "Audio" | "Identity" | "Edit" | "Post-Production" | "Control" | "Training";
        /**
         * ConformMode
         * @description How a clip of another rate is conformed to the sequence's: duplicate_drop repeats or drops whole frames (frame-accurate, sharp); blend mixes neighbouring frames (smoother motion, softer picture). Either way the node gets a warning naming the clip and both rates. Absent: duplicate_drop.
         * @enum {string}
         */
        ConformMode: contracts.ConformMode;
        /** Dimensions */
        Dimensions: contracts.Dimensions;
        /** ErrorDetail */
        ErrorDetail: {
            /**
             * Code
             * @example version_conflict
             */
            code: string;
            /**
             * Field
             * @description The request field at fault.
             */
            field?: string | null;
            /**
             * Message
             * @description What was wrong, with which value, and what to do.
             */
            message: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * ErrorPublic
         * @description Every error answer of the API (error_body).
         */
        ErrorPublic: {
            error: components["schemas"]["ErrorDetail"];
        };
        /**
         * Executor
         * @description What compiling the node produces: none (a data source or container), pipeline (a Function Runner job: a pipeline image, or a template on ComfyUI), edl (the Sequence's edit decision list), render (the final video).
         * @enum {string}
         */
        Executor: contracts.Executor;
        /**
         * ExportFormat
         * @enum {string}
         */
        ExportFormat: "edl" | "otio" | "xml";
        /** ExportPublic */
        ExportPublic: {
            /** Commit */
            commit: string | null;
            /** Edl Path */
            edl_path: string | null;
            /** Otio Path */
            otio_path: string;
            /** Warnings */
            warnings: string[];
            /** Xml Path */
            xml_path: string | null;
        };
        /**
         * ExposeAs
         * @enum {string}
         */
        ExposeAs: "socket" | "param";
        /** Exposure */
        Exposure: {
            /** @default socket */
            expose_as?: components["schemas"]["ExposeAs"];
            /** Input */
            input: string;
            /** Label */
            label?: string | null;
            /**
             * Name
             * @description The input's or setting's name on the canvas node.
             */
            name: string;
            /** Node */
            node: string;
            /** @description Default: guessed from the node and its value. */
            type?: components["schemas"]["SocketType"] | null;
        };
        /**
         * FeaturedValue
         * @description A value a node draws first, with how to present it.
         */
        FeaturedValue: contracts.FeaturedValue;
        FilesAdditionalProperty: string;
        /**
         * GatedEnum
         * @enum {string}
         */
        GatedEnum: "sfw";
        /** GenerateShot */
        GenerateShot: {
            /** Node Id */
            node_id: string;
            /** Project Id */
            project_id: string;
        };
        /** GenerationSpec */
        GenerationSpec: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "tasks.shots.generate";
            placement: components["schemas"]["Placement"];
            /** Slots */
            slots: {
                [key: string]: components["schemas"]["ShotSlot"];
            };
            /** Steps */
            steps: components["schemas"]["Step"][];
        };
        /** GpuRecord */
        GpuRecord: {
            /** Free Vram Gb */
            free_vram_gb: number;
            /** Index */
            index: number;
            /** Name */
            name: string;
            /** Total Vram Gb */
            total_vram_gb: number;
        };
        /** GraphIssue */
        GraphIssue: contracts.GraphIssue;
        /**
         * HardwarePolicy
         * @description When no live worker can hold the selected pipeline: wait for one (queue) or use the best tier that fits (fallback). Default fallback.
         * @enum {string}
         */
        HardwarePolicy: "queue" | "fallback";
        /** HealthCheck */
        HealthCheck: {
            /** Message */
            message: string;
            /** Ok */
            ok: boolean;
        };
        /** HealthPublic */
        HealthPublic: {
            database: components["schemas"]["HealthCheck"];
            git_lfs: components["schemas"]["HealthCheck"];
            redis: components["schemas"]["HealthCheck"];
            /**
             * Status
             * @enum {string}
             */
            status: "ok" | "degraded";
            /**
             * Workspace
             * @description The workspace's absolute path; admins only.
             */
            workspace?: string | null;
        };
        /** ImportMatchedClip */
        ImportMatchedClip: {
            /**
             * Index
             * @description Position in the imported timeline.
             */
            index: number;
            matched_by: components["schemas"]["MatchedBy"];
            /**
             * Name
             * @description The clip's name in the file.
             */
            name: string;
            /** Node Id */
            node_id: string;
            /**
             * Previous Index
             * @description Its position on the current timeline; null when it is new there.
             */
            previous_index: number | null;
            /** Previous Trim In */
            previous_trim_in: number | null;
            /** Previous Trim Out */
            previous_trim_out: number | null;
            /** Take Path */
            take_path: string;
            /** Trim In */
            trim_in: number;
            /** Trim Out */
            trim_out: number;
        };
        /**
         * ImportPreview
         * @description What applying an edited .edl/.otio/.xml to a Sequence would change (POST .../sequences/{node_id}/import?dry_run=true); nothing is changed until it is applied with `version`.
         */
        ImportPreview: {
            /**
             * Applicable
             * @description True when every clip matched a take: applying would change the sequence as shown.
             */
            applicable: boolean;
            format: components["schemas"]["schemas__models__sequence__Format"];
            /** Matched */
            matched: components["schemas"]["ImportMatchedClip"][];
            /** Order Changed */
            order_changed: boolean;
            /**
             * Removed
             * @description Nodes on the current timeline that the file no longer has.
             */
            removed: string[];
            /**
             * Timeline
             * @description The timeline after applying.
             */
            timeline: components["schemas"]["TimelineClip"][];
            /**
             * Transitions
             * @description The transitions after applying.
             */
            transitions: components["schemas"]["schemas__models__sequence__Transition"][];
            /** Unmatched */
            unmatched: components["schemas"]["ImportUnmatchedClip"][];
            /**
             * Version
             * @description The graph version the preview was computed on; apply with it (409 when the graph moved on).
             */
            version: number;
            /** Warnings */
            warnings?: string[] | null;
        };
        /** ImportPublic */
        ImportPublic: {
            /** Timeline */
            timeline: {
                [key: string]: unknown;
            }[];
            /** Transitions */
            transitions: {
                [key: string]: unknown;
            }[];
            /** Version */
            version: number;
        };
        /** ImportUnmatchedClip */
        ImportUnmatchedClip: {
            /** Index */
            index: number;
            /** Name */
            name: string;
            /**
             * Reason
             * @description A sentence: why no take matched, and what to do.
             */
            reason: string;
            /** Reel */
            reel?: string | null;
        };
        /** InputCandidate */
        InputCandidate: {
            /** Class Type */
            class_type: string;
            expose_as: components["schemas"]["ExposeAs"];
            /** Input */
            input: string;
            /** Name */
            name: string;
            /** Node */
            node: string;
            /** Suggested */
            suggested: boolean;
            /** Title */
            title: string;
            type: components["schemas"]["SocketType"];
            /** Value */
            value: unknown;
        };
        /**
         * InputSource
         * @enum {string}
         */
        InputSource: "widget" | "default" | "asset" | "pipeline" | "take" | "step";
        /**
         * IssueCode
         * @enum {string}
         */
        IssueCode: contracts.IssueCode;
        /**
         * JobKind
         * @enum {string}
         */
        JobKind: "tasks.shots.generate" | "tasks.assembly.render_final_video" | "tasks.assets.train_lora" | "tasks.models.pull";
        /** LibraryAssetPublic */
        LibraryAssetPublic: {
            asset: components["schemas"]["Asset"];
            /**
             * Library Path
             * @description The asset's folder in the workspace Library.
             * @example Assets/Characters/Mara_Voss
             */
            library_path: string;
            /**
             * Thumbnail Url
             * @description Its thumbnail (newest sample, else first reference image), served with the same bearer token; null before it has a picture.
             */
            thumbnail_url: string | null;
        };
        /** ManifestProblemPublic */
        ManifestProblemPublic: {
            /** Message */
            message: string;
            /** Path */
            path: string;
        };
        /**
         * MatchedBy
         * @enum {string}
         */
        MatchedBy: "metadata take_path" | "metadata sha256" | "clip name" | "reel name";
        /**
         * MediaKind
         * @enum {string}
         */
        MediaKind: contracts.MediaKind;
        /** MemberPublic */
        MemberPublic: {
            role: components["schemas"]["Role"];
            /** Username */
            username: string;
        };
        /** MemberSet */
        MemberSet: {
            /**
             * Role
             * @enum {string}
             */
            role: "editor" | "viewer";
            /** Username */
            username: string;
        };
        /**
         * MemorySaver
         * @description diffusers' memory savers: whole models moved to the GPU only while they run (model_cpu_offload), layer by layer (sequential_cpu_offload), the VAE decoding one image or tile at a time, attention in slices; for training (train-lora), activations recomputed in the backward pass instead of kept (gradient_checkpointing) and the optimiser's state and step kept in CPU memory (optimizer_cpu_offload).
         * @enum {string}
         */
        MemorySaver: contracts.MemorySaver;
        /** MemorySaverRule */
        MemorySaverRule: contracts.MemorySaverRule;
        /**
         * MinVramGb
         * @description Minimum VRAM per quality tier the pipeline serves.
         */
        MinVramGb: {
            /** High */
            high?: number | null;
            /** Low */
            low?: number | null;
            /** Standard */
            standard?: number | null;
        };
        /** ModelPullCreate */
        ModelPullCreate: {
            /**
             * Replace
             * @description Swap out a model of that name already in the store.
             * @default false
             */
            replace?: boolean;
            /**
             * Repo
             * @description Hugging Face repository; default: the one the pipelines' manifests name.
             * @example stable-diffusion-v1-5/stable-diffusion-v1-5
             */
            repo?: string | null;
            /**
             * Revision
             * @description Branch, tag or commit; default: the manifest's, else main.
             */
            revision?: string | null;
            /**
             * Worker
             * @description Pull on this worker's host (its id in GET /api/v1/system/workers): each host has its own store. Default: whichever worker takes it first.
             */
            worker?: string | null;
        };
        /**
         * NodeCategory
         * @description Palette section.
         * @enum {string}
         */
        NodeCategory: contracts.NodeCategory;
        /**
         * NodeInput
         * @description One input of one workflow node.
         */
        NodeInput: contracts.NodeInput;
        /**
         * NodeOrigin
         * @description builtin: a data file shipped with the server; pipeline: derived from a pipeline manifest; template: derived from a pipeline template, run on a ComfyUI server.
         * @enum {string}
         */
        NodeOrigin: contracts.NodeOrigin;
        /**
         * NodeType
         * @description One entry of the node palette (GET /api/v1/node-types, the ComfyUI object_info analogue): the sockets and parameters of a canvas node type. Built-ins are data files; one is derived from each pipeline manifest.
         */
        NodeType: contracts.NodeType;
        /**
         * NodeUi
         * @description How the canvas draws a node of this type; running it is not affected. Each name is one of the type's inputs or params.
         */
        NodeUi: contracts.NodeUi;
        /** OutputCandidate */
        OutputCandidate: {
            /** Class Type */
            class_type: string;
            /** Name */
            name: string;
            /** Node */
            node: string;
            /** Title */
            title: string;
            type: components["schemas"]["SocketType"];
        };
        /** OutputChoice */
        OutputChoice: {
            /** Name */
            name: string;
            /** Node */
            node: string;
            /** @description Default: from the node's class (SaveImage: Image…). */
            type?: components["schemas"]["SocketType"] | null;
        };
        OutputNodesAdditionalProperty: string;
        /** PasswordChange */
        PasswordChange: {
            /** Current Password */
            current_password: string;
            /**
             * New Password
             * @description 8 to 1024 characters.
             */
            new_password: string;
        };
        /** PipelineAvailability */
        PipelineAvailability: contracts.PipelineAvailability;
        /** PipelineChoice */
        PipelineChoice: {
            /** Chosen By */
            chosen_by: string;
            /** Deterministic */
            deterministic: boolean;
            /** Fallback */
            fallback?: string | null;
            /** Image */
            image: string | null;
            /** Image Digest */
            image_digest: string;
            /** @default manifest */
            kind?: components["schemas"]["PipelineKind"];
            /** Pipeline Id */
            pipeline_id: string;
            /** Requested Quality */
            requested_quality: string | null;
            /** Used Quality */
            used_quality: string | null;
            /** Version */
            version: string;
        };
        /**
         * PipelineKind
         * @enum {string}
         */
        PipelineKind: "manifest" | "template";
        /** PipelineListing */
        PipelineListing: {
            /** Availability */
            availability: {
                [key: string]: components["schemas"]["PipelineAvailability"];
            };
            /** Pipelines */
            pipelines: components["schemas"]["PipelineManifest"][];
            /** Problems */
            problems: components["schemas"]["ManifestProblemPublic"][];
            /** Templates */
            templates: components["schemas"]["PipelineTemplate"][];
        };
        /**
         * PipelineManifest
         * @description pipeline_images/<id>/pipeline.json: what a containerised model takes, gives and needs (ARCHITECTURE §6). Adding a folder with one of these adds a node to the palette.
         */
        PipelineManifest: contracts.PipelineManifest;
        /**
         * PipelineTemplate
         * @description template.json of a pipeline template (ARCHITECTURE §15): a ComfyUI workflow in its API format (workflow.json beside it) made into a canvas node. It says which workflow node inputs the node's sockets and params set, which output nodes give its outputs and which inputs take the node's seed. The node classes it needs are the workflow's own class_type values. Lives in <workspace>/Library/Pipeline_Templates/<id>/ or a project's 02_Source_Creative/Pipeline_Templates/<id>/.
         */
        PipelineTemplate: contracts.PipelineTemplate;
        /**
         * Placement
         * @description The decision, as the task keeps it and the API shows it.
         */
        Placement: {
            /** Fallback */
            fallback?: string | null;
            /** Pipeline Id */
            pipeline_id: string;
            /** Quality Requested */
            quality_requested: string;
            /** Quality Used */
            quality_used: string;
            /** Queue */
            queue: string;
            /** Vram Gb */
            vram_gb: number;
            /** Waiting For */
            waiting_for?: string | null;
        };
        /** Port */
        Port: contracts.Port;
        /** Position */
        Position: contracts.Position;
        /** ProjectCreate */
        ProjectCreate: {
            /**
             * Aspect Ratio
             * @default 16:9
             * @example 16:9
             * @example 2.39:1
             */
            aspect_ratio?: string;
            /**
             * Description
             * @default
             */
            description?: string;
            /** @default fallback */
            hardware_policy?: components["schemas"]["HardwarePolicy"];
            /**
             * Name
             * @description The project title.
             */
            name: string;
            /** @default standard */
            quality?: components["schemas"]["Quality"];
        };
        /** ProjectPublic */
        ProjectPublic: {
            /** Aspect Ratio */
            aspect_ratio: string;
            /** Canvas Path */
            canvas_path: string;
            /** Description */
            description: string;
            /** Graph */
            graph: {
                [key: string]: unknown;
            };
            /** Hardware Policy */
            hardware_policy: string;
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Quality */
            quality: string;
            role: components["schemas"]["Role"];
            /** Slug */
            slug: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Version */
            version: number;
        };
        /** ProjectSaved */
        ProjectSaved: {
            /** Id */
            id: string;
            /**
             * Status
             * @default success
             * @constant
             */
            status?: "success";
            /** Version */
            version: number;
        };
        /** ProjectSettingsUpdate */
        ProjectSettingsUpdate: {
            /** Aspect Ratio */
            aspect_ratio?: string | null;
            hardware_policy?: components["schemas"]["HardwarePolicy"] | null;
            quality?: components["schemas"]["Quality"] | null;
        };
        /** ProjectSummary */
        ProjectSummary: {
            /** Aspect Ratio */
            aspect_ratio: string;
            /** Description */
            description: string;
            /** Hardware Policy */
            hardware_policy: string;
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Quality */
            quality: string;
            role: components["schemas"]["Role"];
            /** Slug */
            slug: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Version */
            version: number;
        };
        /** ProjectUpdate */
        ProjectUpdate: {
            /** Description */
            description?: string | null;
            graph?: components["schemas"]["CanvasGraph"] | null;
            /** Name */
            name?: string | null;
            project_settings?: components["schemas"]["ProjectSettingsUpdate"] | null;
            /**
             * Version
             * @description The version this change was made against.
             */
            version: number;
        };
        /** PullSpec */
        PullSpec: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "tasks.models.pull";
            /**
             * Name
             * @description The model's folder in the store.
             */
            name: string;
            /**
             * Replace
             * @default false
             */
            replace?: boolean;
            /**
             * Repo
             * @description The Hugging Face repository (decided when the pull was started).
             */
            repo: string;
            /** Revision */
            revision: string;
        };
        /**
         * Quality
         * @description Project-wide quality tier; selects the pipeline per task type (PRD Table 4).
         * @enum {string}
         */
        Quality: contracts.Quality;
        /** QueuePublic */
        QueuePublic: {
            /** Paused */
            paused: boolean;
            /** Paused By */
            paused_by: string | null;
            /** Project Id */
            project_id: string;
            /** Queued */
            queued: number;
            /** Running */
            running: number;
        };
        /**
         * ReadinessPublic
         * @description GET /readyz: which checks pass, by name only (no addresses, versions or paths: the probe is unauthenticated).
         */
        ReadinessPublic: {
            /** Checks */
            checks: {
                [key: string]: boolean;
            };
            /** Failing */
            failing: ("database" | "redis" | "git_lfs" | "workers")[];
            /**
             * Status
             * @enum {string}
             */
            status: "ready" | "not_ready";
        };
        /** ReferenceImage */
        ReferenceImage: contracts.ReferenceImage;
        /**
         * RenderSettings
         * @description What a final render was made from and to: the sequence as it was when the render was asked for, and the picture it gave.
         */
        RenderSettings: contracts.RenderSettings;
        /**
         * RenderSpec
         * @description What a final-render task renders (its row's spec): the sequence as it was when the render was asked for.
         */
        RenderSpec: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "tasks.assembly.render_final_video";
            /** Output Path */
            output_path: string;
            sequence: components["schemas"]["Sequence"];
        };
        /**
         * RenderSummary
         * @description One final render of a VSE Assembler (or Sequence) node as every list shows it: GET .../nodes/{node_id}/renders, server:renders_updated. Each render is its own file (06_Exports/<name>_v003.mp4), never overwritten by the next.
         */
        RenderSummary: contracts.RenderSummary;
        /** ResolvedInput */
        ResolvedInput: {
            /** Content Hash */
            content_hash: string | null;
            /** Name */
            name: string;
            /** Node Id */
            node_id?: string | null;
            socket_type: components["schemas"]["SocketType"];
            source: components["schemas"]["InputSource"];
            /** Value */
            value: unknown;
        };
        /** Resources */
        Resources: contracts.Resources;
        /**
         * RevealInputs
         * @description Hidden input sockets drawn while one of the node's values asks for them: a Shot whose task type edits an image shows its start image socket.
         */
        RevealInputs: contracts.RevealInputs;
        /**
         * Role
         * @enum {string}
         */
        Role: "owner" | "editor" | "viewer";
        /**
         * Format
         * @description diffusers (when absent): a folder in from_pretrained layout (model_index.json naming its component folders); file: one file, checked against sha256; folder: a folder of files the pipeline opens itself (ONNX graphs, a transformers model, any network spandrel loads picked by a param), checked against `files` where given.
         * @enum {string}
         */
        schemas__models__pipeline_manifest__Format: "diffusers" | "file" | "folder";
        /**
         * Format
         * @enum {string}
         */
        schemas__models__sequence__Format: "edl" | "otio" | "xml";
        /**
         * Transition
         * @description The transition at the cut after clip `after_clip`. The two clips overlap by `frames` around the cut (the later clip gives frames/2 of its head, rounded down, the earlier the rest of its tail), so the sequence is `frames` shorter than its clips laid end to end. fade_to_black fades the earlier clip out to black over its part and the later clip in from black over its part.
         */
        schemas__models__sequence__Transition: {
            /**
             * After Clip
             * @description Index in timeline of the clip it leaves.
             */
            after_clip: number;
            /**
             * Frames
             * @description Its length in frames.
             * @default 12
             */
            frames?: number | null;
            kind: components["schemas"]["TransitionKind"];
        };
        /** Sequence */
        Sequence: {
            /** Audio */
            audio: components["schemas"]["AudioPlacement"][];
            /** Clips */
            clips: components["schemas"]["SequenceClip"][];
            /** @default duplicate_drop */
            conform?: components["schemas"]["ConformMode"];
            /** Fps */
            fps: number;
            /** Node Id */
            node_id: string;
            /** Titles */
            titles: components["schemas"]["Title"][];
            /** Transitions */
            transitions: components["schemas"]["server__assembly__sequence__Transition"][];
        };
        /** SequenceClip */
        SequenceClip: {
            /** Audio Offset */
            audio_offset: number;
            take: components["schemas"]["TakeRef"];
            /** Trim In */
            trim_in: number;
            /** Trim Out */
            trim_out: number;
            /**
             * Volume
             * @default 1
             */
            volume?: number;
        };
        /** Transition */
        server__assembly__sequence__Transition: {
            /** After Clip */
            after_clip: number;
            /** Frames */
            frames: number;
            kind: components["schemas"]["TransitionKind"];
        };
        /**
         * Severity
         * @description error: blocks running the node; warning: runs, but probably not as meant; info: something was adjusted (e.g. a node type upgraded in place).
         * @enum {string}
         */
        Severity: contracts.Severity;
        /**
         * ShotSlot
         * @description One shot (or one node, labelled NODE-<id>) at one version: the folder its takes go to.
         */
        ShotSlot: {
            /** Scene */
            scene: string;
            /** Shot Id */
            shot_id: string;
            /** Version */
            version: number;
        };
        /**
         * SocketType
         * @description The data type of a node socket (PRD §4.3). Which type may feed which is declared in socket-compatibility.json (schema socket-compatibility.schema.json).
         * @enum {string}
         */
        SocketType: contracts.SocketType;
        /** Step */
        Step: {
            /** Cache Key */
            cache_key: string | null;
            executor: components["schemas"]["Executor"];
            /** Inputs */
            inputs: components["schemas"]["ResolvedInput"][];
            /** Node Id */
            node_id: string;
            /** Node Type */
            node_type: string;
            /** Params */
            params: {
                [key: string]: unknown;
            };
            pipeline: components["schemas"]["PipelineChoice"] | null;
            /** Reason */
            reason: string;
            /** Seed */
            seed: number;
            status: components["schemas"]["StepStatus"];
            /** Take */
            take: string | null;
        };
        /**
         * StepStatus
         * @enum {string}
         */
        StepStatus: "planned" | "reused";
        /**
         * TakeRef
         * @description One take as the timeline cites it: where it is, and what proves it is the same file.
         */
        TakeRef: {
            /** Commit */
            commit: string | null;
            /** Node Id */
            node_id: string;
            /** Path */
            path: string;
            /** Sha256 */
            sha256: string | null;
            /** Take Id */
            take_id: string;
        };
        /**
         * TakeSummary
         * @description One take of a node as every list shows it: GET .../takes, server:takes_updated, server:task_success.
         */
        TakeSummary: contracts.TakeSummary;
        /** TaskPublic */
        TaskPublic: {
            /** Attempts */
            attempts: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Error */
            error: string | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Gpu
             * @description The GPU it runs on; None for CPU tasks and tasks not started.
             */
            gpu: string | null;
            kind: components["schemas"]["JobKind"];
            /** Node Id */
            node_id: string | null;
            /** Progress */
            progress: number;
            /**
             * Project Id
             * @description None: the studio's own task (a model pull), for administrators.
             */
            project_id: string | null;
            /** Queue */
            queue: string;
            /** Spec */
            spec: components["schemas"]["GenerationSpec"] | components["schemas"]["RenderSpec"] | components["schemas"]["TrainingSpec"] | components["schemas"]["PullSpec"];
            /** Started At */
            started_at: string | null;
            state: components["schemas"]["TaskState"];
            /** Take Path */
            take_path: string | null;
            /** Task Id */
            task_id: string;
            /**
             * Worker
             * @description The worker that claimed it (its id in GET /api/v1/system/workers).
             */
            worker: string | null;
        };
        /**
         * TaskState
         * @enum {string}
         */
        TaskState: "queued" | "running" | "succeeded" | "failed" | "cancelled";
        /**
         * TaskType
         * @enum {string}
         */
        TaskType: contracts.TaskType;
        /** TemplateCreate */
        TemplateCreate: {
            category?: components["schemas"]["NodeCategory"] | null;
            /**
             * Description
             * @default
             */
            description?: string;
            /**
             * Expose
             * @default []
             */
            expose?: components["schemas"]["Exposure"][];
            /**
             * Id
             * @description Also the node type: template:<id>.
             */
            id: string;
            /** Outputs */
            outputs: components["schemas"]["OutputChoice"][];
            /**
             * Seeds
             * @description Inputs the node's seed drives; default: every seed/noise_seed.
             */
            seeds?: components["schemas"]["NodeInput"][] | null;
            /**
             * @description project: committed to the project (editors); library: the workspace Library (admins).
             * @default project
             */
            target?: components["schemas"]["TemplateTarget"];
            task_type?: components["schemas"]["TaskType"] | null;
            /** Title */
            title: string;
            /** Workflow */
            workflow: {
                [key: string]: unknown;
            };
        };
        /** TemplatePublic */
        TemplatePublic: {
            /** Commit */
            commit: string | null;
            /** Id */
            id: string;
            node_type: components["schemas"]["NodeType"];
            /** Path */
            path: string;
            target: components["schemas"]["TemplateTarget"];
        };
        /**
         * TemplateTarget
         * @enum {string}
         */
        TemplateTarget: "project" | "library";
        /**
         * TimelineClip
         * @description One clip of the timeline. Trims are in frames of the sequence's rate, counted on the clip as conformed to it.
         */
        TimelineClip: contracts.TimelineClip;
        /** Title */
        Title: contracts.Title;
        /**
         * TitlePosition
         * @description Where a title sits: near the top, centred, near the bottom, or on the lower third. Absent: lower_third.
         * @enum {string}
         */
        TitlePosition: contracts.TitlePosition;
        /** TokenCreate */
        TokenCreate: {
            /**
             * Expires In Days
             * @description Days until it expires; default STUDIO_PERSONAL_TOKEN_DEFAULT_DAYS, at most STUDIO_PERSONAL_TOKEN_MAX_DAYS.
             */
            expires_in_days?: number | null;
            /**
             * Name
             * @description What the token is for, e.g. 'laptop'.
             */
            name: string;
            /**
             * @description 'read': clone, fetch, LFS downloads. 'write': also push and LFS uploads.
             * @default read
             */
            scope?: components["schemas"]["TokenScope"];
        };
        /** TokenPublic */
        TokenPublic: {
            /** Access Token */
            access_token: string;
            /**
             * Token Type
             * @default bearer
             * @constant
             */
            token_type?: "bearer";
        };
        /**
         * TokenScope
         * @description What an access token may do over git: read (clone, fetch, LFS download) or also write (push); worker: a
         *     stateless worker's token (`studio workers token create`), which may read and push the projects that have a
         *     queued or running task, and nothing else.
         * @enum {string}
         */
        TokenScope: "read" | "write" | "worker";
        /** TrainingBaseModelPublic */
        TrainingBaseModelPublic: {
            /** @description Whether its pipeline can run here now, and the command that fixes each missing part. */
            availability: components["schemas"]["PipelineAvailability"];
            /**
             * Base Model
             * @description Its model store folder: `TrainingCreate.base_model`.
             * @example FLUX.1-dev
             */
            base_model: string;
            /**
             * Is Default
             * @description What a training that names no base model uses.
             */
            is_default: boolean;
            /**
             * Name
             * @example FLUX.1 [dev] (diffusers layout)
             */
            name: string;
            /**
             * Pipeline Id
             * @description The pipeline that trains on it.
             * @example train-lora-flux
             */
            pipeline_id: string;
        };
        /** TrainingCreate */
        TrainingCreate: {
            /**
             * Base Model
             * @description The model store folder to train on: one of `GET …/training/base-models`.
             * @default stable-diffusion-v1-5
             * @example stable-diffusion-v1-5
             */
            base_model?: string;
            /**
             * Learning Rate
             * @default 0.0001
             */
            learning_rate?: number;
            /**
             * Rank
             * @default 16
             */
            rank?: number;
            /**
             * Resolution
             * @default 512
             */
            resolution?: number;
            /**
             * Seed
             * @default 0
             */
            seed?: number;
            /**
             * Steps
             * @default 800
             */
            steps?: number;
        };
        /** TrainingSpec */
        TrainingSpec: {
            /** Asset Id */
            asset_id: string;
            /** Base Model */
            base_model: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "tasks.assets.train_lora";
            /** Params */
            params: {
                [key: string]: unknown;
            };
            placement: components["schemas"]["Placement"];
            /** Seed */
            seed: number;
        };
        /**
         * TransitionKind
         * @description cut: none; dissolve: cross-fade; fade_to_black: out to black, then in from black; wipe: the next clip wipes in from the left.
         * @enum {string}
         */
        TransitionKind: contracts.TransitionKind;
        /** UploadPublic */
        UploadPublic: {
            kind: components["schemas"]["MediaKind"];
            /**
             * Path
             * @example 01_Assets/Source_Media/voice-1a2b3c4d.wav
             */
            path: string;
            /** Sha256 */
            sha256: string;
            /**
             * Size
             * @description Bytes.
             */
            size: number;
            /** @description The socket type a file widget or Asset node feeds. */
            socket_type: components["schemas"]["SocketType"];
            /**
             * Url
             * @description Where the files route serves it (with the same bearer token).
             */
            url: string;
        };
        /** UserPublic */
        UserPublic: {
            /** Is Admin */
            is_admin: boolean;
            /** Username */
            username: string;
        };
        /**
         * ValidationReport
         * @description The result of validating a canvas graph (POST /api/v1/projects/{id}/validate, and before every dispatch): every problem found, each tied to the node or edge at fault.
         */
        ValidationReport: contracts.ValidationReport;
        /**
         * ValueFormat
         * @description How a slider shows its number: factor 2 as 2×, percent 0.5 as 50 %.
         * @enum {string}
         */
        ValueFormat: contracts.ValueFormat;
        ValuesAdditionalProperty: string[];
        /** Viewport */
        Viewport: contracts.Viewport;
        /**
         * VramBasis
         * @description Where min_vram_gb comes from: 'prd-table-4' (the PRD's tiers, not yet measured for this pipeline) or 'measured' (a run of benchmarks/gpu_pipelines.py at the tier's sizes).
         * @enum {string}
         */
        VramBasis: "prd-table-4" | "measured";
        /** Weight */
        Weight: contracts.Weight;
        /** WeightLicence */
        WeightLicence: contracts.WeightLicence;
        /**
         * Widget
         * @enum {string}
         */
        Widget: "text" | "textarea" | "number" | "slider" | "checkbox" | "select" | "file";
        /** WorkerPublic */
        WorkerPublic: {
            /** Comfyui Node Classes */
            comfyui_node_classes?: string[] | null;
            /** Cpus */
            cpus: number;
            /** Current Tasks */
            current_tasks: components["schemas"]["WorkerTask"][];
            /** Gpus */
            gpus: components["schemas"]["GpuRecord"][];
            /** Heartbeat Age S */
            heartbeat_age_s: number;
            /** Host */
            host: string;
            /** Labels */
            labels: string[];
            /** Max Vram Gb */
            max_vram_gb: number;
            /** Queues */
            queues: string[];
            /** Seen At */
            seen_at: number;
            /** Worker Id */
            worker_id: string;
        };
        /** WorkerTask */
        WorkerTask: {
            /** Gpu */
            gpu: string | null;
            /** Node Id */
            node_id: string | null;
            /** Progress */
            progress: number;
            /** Project Id */
            project_id: string | null;
            /** Task Id */
            task_id: string;
        };
        /** WorkflowInspection */
        WorkflowInspection: {
            /** Id */
            id: string;
            /** Inputs */
            inputs: components["schemas"]["InputCandidate"][];
            /** Node Classes */
            node_classes: string[];
            /** Outputs */
            outputs: components["schemas"]["OutputCandidate"][];
            /** Seeds */
            seeds: components["schemas"]["NodeInput"][];
            /** Title */
            title: string;
            /** Workflow */
            workflow: {
                [key: string]: unknown;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    pull_model: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The model's folder in the store. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ModelPullCreate"] | null;
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    list_node_types: {
        parameters: {
            query?: {
                /** @description Include this project's own pipeline templates (you must be able to open it). */
                project_id?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeType"][];
                };
            };
        };
    };
    list_pipelines: {
        parameters: {
            query?: {
                /** @description Include this project's own pipeline templates (you must be able to open it). */
                project_id?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PipelineListing"];
                };
            };
        };
    };
    list_projects: {
        parameters: {
            query?: {
                /** @description Entries per page, at most 500. */
                limit?: number;
                /** @description How many entries to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectSummary"][];
                };
            };
        };
    };
    create_project: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectCreate"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectSummary"];
                };
            };
        };
    };
    get_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectPublic"];
                };
            };
        };
    };
    save_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectUpdate"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectSaved"];
                };
            };
        };
    };
    assemble: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssembleRequest"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    list_assets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPublic"][];
                };
            };
        };
    };
    create_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssetCreate"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPublic"];
                };
            };
        };
    };
    get_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPublic"];
                };
            };
        };
    };
    update_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssetUpdate"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPublic"];
                };
            };
        };
    };
    delete_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    add_reference_images: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        /** @description One or more image files, each as a `files` part of a multipart form. */
        requestBody: {
            content: {
                "multipart/form-data": {
                    files: Blob[];
                };
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPublic"];
                };
            };
            /** @description Larger than STUDIO_UPLOAD_MAX_BYTES. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an image. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    remove_reference_image: {
        parameters: {
            query: {
                /** @description The image as `asset.reference_images[].file` names it. */
                file: string;
            };
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPublic"];
                };
            };
        };
    };
    promote_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPromoted"];
                };
            };
        };
    };
    train_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrainingCreate"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    get_file: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                path: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The file's bytes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description The range asked for. */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
        };
    };
    list_library_assets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LibraryAssetPublic"][];
                };
            };
        };
    };
    import_library_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPublic"];
                };
            };
        };
    };
    get_library_asset_thumbnail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description A PNG, 320 px wide. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/png": unknown;
                };
            };
        };
    };
    list_members: {
        parameters: {
            query?: {
                /** @description Entries per page, at most 500. */
                limit?: number;
                /** @description How many entries to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberPublic"][];
                };
            };
        };
    };
    set_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberSet"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberPublic"];
                };
            };
        };
    };
    remove_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
                username: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    list_node_renders: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                node_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RenderSummary"][];
                };
            };
        };
    };
    get_project_queue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueuePublic"];
                };
            };
        };
    };
    pause_project_queue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueuePublic"];
                };
            };
        };
    };
    resume_project_queue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueuePublic"];
                };
            };
        };
    };
    export_sequence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                node_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportPublic"];
                };
            };
        };
    };
    download_sequence_export: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                format: components["schemas"]["ExportFormat"];
                node_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                    "application/xml": string;
                    "text/plain": string;
                };
            };
        };
    };
    import_sequence: {
        parameters: {
            query?: {
                /** @description Only say what would change (an ImportPreview). */
                dry_run?: boolean;
                /** @description The graph version the preview was made on. */
                version?: number | null;
            };
            header?: never;
            path: {
                node_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "multipart/form-data": components["schemas"]["Body_import_sequence"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportPreview"] | components["schemas"]["ImportPublic"];
                };
            };
        };
    };
    list_node_takes: {
        parameters: {
            query: {
                /** @description Entries per page, at most 500. */
                limit?: number;
                node_id: string;
                /** @description How many entries to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TakeSummary"][];
                };
            };
        };
    };
    list_takes_by_node: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: components["schemas"]["TakeSummary"][];
                    };
                };
            };
        };
    };
    list_project_tasks: {
        parameters: {
            query?: {
                /** @description Entries per page, at most 500. */
                limit?: number;
                /** @description How many entries to skip. */
                offset?: number;
                /** @description Only tasks in these states (all when none is given). */
                state?: components["schemas"]["TaskState"][];
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"][];
                };
            };
        };
    };
    create_template: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateCreate"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplatePublic"];
                };
            };
            /** @description library: admins only */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A template with that id exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    inspect_workflow_file: {
        parameters: {
            query?: {
                /** @description The file's name (suggests the id). */
                filename?: string;
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        /** @description The dropped file as it is: a workflow in ComfyUI's API format, or a PNG ComfyUI saved. */
        requestBody: {
            content: {
                "application/json": Record<string, never>;
                "image/png": Blob;
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowInspection"];
                };
            };
            /** @description Not an API-format workflow, nor a PNG that carries one. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    list_training_base_models: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingBaseModelPublic"][];
                };
            };
        };
    };
    upload_source_media: {
        parameters: {
            query: {
                /** @description The file's own name; its extension decides the kind. */
                filename: string;
            };
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        /** @description The file's bytes, as they are (no multipart). */
        requestBody: {
            content: {
                "application/octet-stream": Blob;
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadPublic"];
                };
            };
            /** @description Larger than STUDIO_UPLOAD_MAX_BYTES. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an image (png, jpg, jpeg, webp), a video (mp4, mov, webm, mkv) or an audio file (wav, mp3, flac, ogg, m4a). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A filename that names no file, or content that does not decode as its kind. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    validate_project_graph: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationReport"];
                };
            };
        };
    };
    system_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthPublic"];
                };
            };
        };
    };
    list_workers: {
        parameters: {
            query?: {
                /** @description Entries per page, at most 500. */
                limit?: number;
                /** @description How many entries to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkerPublic"][];
                };
            };
        };
    };
    list_all_tasks: {
        parameters: {
            query?: {
                /** @description Entries per page, at most 500. */
                limit?: number;
                /** @description How many entries to skip. */
                offset?: number;
                /** @description Only tasks in these states (all when none is given). */
                state?: components["schemas"]["TaskState"][];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"][];
                };
            };
        };
    };
    get_task: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    cancel_task: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    move_task_to_front: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    retry_task: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    generate_shot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GenerateShot"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPublic"];
                };
            };
        };
    };
    list_tokens: {
        parameters: {
            query?: {
                /** @description Entries per page, at most 500. */
                limit?: number;
                /** @description How many entries to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenPublic"][];
                };
            };
        };
    };
    create_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreate"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessTokenCreated"];
                };
            };
        };
    };
    revoke_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    current_user: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPublic"];
                };
            };
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    sign_out_everywhere: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["Body_login"];
            };
        };
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPublic"];
                };
            };
            /** @description Too many failed sign-ins for this username or address; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Prometheus text exposition format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=1.0.0; charset=utf-8": unknown;
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Refused: the message says why and what to do. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description The server failed; the message says what to try. */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorPublic"];
                };
            };
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessPublic"];
                };
            };
            /** @description A check failed: `failing` names it. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadinessPublic"];
                };
            };
        };
    };
}
