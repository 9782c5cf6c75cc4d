console.log("mastoc");
