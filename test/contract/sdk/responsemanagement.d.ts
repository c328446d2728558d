// Genesys's response-management models, in the form of the JavaScript SDK's models.d.ts, for the
// canned-response file `init` writes. ../shared/genesys-sdk/models.d.ts (Open Messaging only) does
// not have them yet: these are the SDK's own definitions (purecloud-platform-client-v2, generated
// from the same schema as MyPureCloud/platform-client-sdk-java docs/Response.md, ResponseText.md and
// DomainEntityRef.md), required and optional as there. Move them into the shared file and delete
// this one when it gains them.
declare namespace Models {
	export interface Response { 
		"id"?: string;
		"name"?: string;
		"version"?: number;
		"libraries": Array<Models.DomainEntityRef>;
		"texts": Array<Models.ResponseText>;
		"createdBy"?: Models.User;
		"dateCreated"?: string;
		"interactionType"?: string;
		"substitutions"?: Array<Models.ResponseSubstitution>;
		"substitutionsSchema"?: Models.JsonSchemaDocument;
		"responseType"?: string;
		"messagingTemplate"?: Models.MessagingTemplate;
		"assets"?: Array<Models.AddressableEntityRef>;
		"footer"?: Models.FooterTemplate;
		"selfUri"?: string;
	}

	export interface ResponseText { 
		"content": string;
		"contentType"?: string;
		"type"?: string;
	}

	export interface DomainEntityRef { 
		"id"?: string;
		"name"?: string;
		"selfUri"?: string;
	}
}
